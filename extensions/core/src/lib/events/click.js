'use strict';

var document = require('@adobe/reactor-document');

function closestMatch(node, selector) {
  while (node && node.nodeType === 1) {
    var matches = node.matches || node.msMatchesSelector || node.webkitMatchesSelector;
    if (matches && matches.call(node, selector)) {
      return node;
    }
    node = node.parentNode;
  }
  return null;
}

/**
 * Fires when an element matching `elementSelector` (or one of its descendants) is clicked.
 * The synthetic event's `element` is the matching element, `target` the clicked node.
 */
module.exports = function (settings, trigger) {
  document.addEventListener(
    'click',
    function (nativeEvent) {
      var element = closestMatch(nativeEvent.target, settings.elementSelector);
      if (!element) {
        return;
      }
      if (settings.bubbleStop) {
        nativeEvent.stopPropagation();
      }
      trigger({ element: element, target: nativeEvent.target, nativeEvent: nativeEvent });
    },
    true
  );
};
