'use strict';

var document = require('@adobe/reactor-document');
var domEventRules = require('../helpers/domEventRules.js');
var toNumber = require('../helpers/toNumber.js');

function contains(element, node) {
  return Boolean(node) && (element === node || element.contains(node));
}

/**
 * Fires when the pointer enters a matching element (moving between its own descendants does not
 * count). With `delay` (ms; a number or a data element token), the pointer must stay on the element that long.
 */
module.exports = function (settings, trigger) {
  var delay = toNumber(settings.delay, 0);
  domEventRules('mouseover', settings, function (event) {
    var element = event.element;
    if (!delay) {
      trigger(event);
      return;
    }
    var timer = setTimeout(function () {
      document.removeEventListener('mouseout', onOut, true);
      trigger(event);
    }, delay);
    function onOut(nativeEvent) {
      if (contains(element, nativeEvent.target) && !contains(element, nativeEvent.relatedTarget)) {
        clearTimeout(timer);
        document.removeEventListener('mouseout', onOut, true);
      }
    }
    document.addEventListener('mouseout', onOut, true);
  }, function (element, nativeEvent) {
    return !contains(element, nativeEvent.relatedTarget);
  });
};
