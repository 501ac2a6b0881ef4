'use strict';

var document = require('@adobe/reactor-document');

/**
 * Fires when a DOM event of the given `type` is dispatched on the document, or, with
 * `elementSelector`, on an element matching it. `detail` of a CustomEvent is passed along.
 */
module.exports = function (settings, trigger) {
  document.addEventListener(
    settings.type,
    function (nativeEvent) {
      var target = nativeEvent.target;
      if (settings.elementSelector) {
        var matches = target && (target.matches || target.msMatchesSelector || target.webkitMatchesSelector);
        if (!matches || !matches.call(target, settings.elementSelector)) {
          return;
        }
      }
      trigger({ element: target, target: target, nativeEvent: nativeEvent, detail: nativeEvent.detail });
    },
    true
  );
};
