'use strict';

var window = require('@adobe/reactor-window');
var domEventRules = require('../helpers/domEventRules.js');
var toNumber = require('../helpers/toNumber.js');

function linkOf(element) {
  for (var node = element; node && node.nodeType === 1; node = node.parentNode) {
    if (node.tagName === 'A' && node.href) {
      return node;
    }
  }
  return null;
}

// Navigation the delay may hold back: a plain left click on a link opening in this window.
function delayable(link, nativeEvent) {
  var target = (link.getAttribute('target') || '').toLowerCase();
  var modified = nativeEvent.ctrlKey || nativeEvent.metaKey || nativeEvent.shiftKey || nativeEvent.altKey;
  var samePage = link.href.split('#')[0] === window.location.href.split('#')[0] && link.href.indexOf('#') !== -1;
  return !nativeEvent.defaultPrevented && !modified && (!nativeEvent.button) && (target === '' || target === '_self') && !samePage;
}

/**
 * Fires when a matching element (or, with bubbleFireIfParent, a descendant) is clicked. With
 * `anchorDelay` (ms; a number or a data element token) and a link being followed, navigation waits that long so the rule's actions
 * can finish: the browser's navigation is cancelled and the link's URL opened after the delay.
 */
module.exports = function (settings, trigger) {
  var anchorDelay = toNumber(settings.anchorDelay, 0);
  domEventRules('click', settings, function (event) {
    var link = anchorDelay > 0 ? linkOf(event.element) : null;
    if (link && delayable(link, event.nativeEvent)) {
      event.nativeEvent.preventDefault();
      setTimeout(function () {
        window.location.href = link.href;
      }, anchorDelay);
    }
    trigger(event);
  });
};
