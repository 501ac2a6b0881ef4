'use strict';

var domEventRules = require('../helpers/domEventRules.js');

/**
 * Fires when a DOM event of the given `type` is dispatched on the document, or, with
 * `elementSelector`/`elementProperties`, on a matching element (bubbling options as for clicks).
 * The `detail` of a CustomEvent is passed along.
 */
module.exports = function (settings, trigger) {
  domEventRules(settings.type, settings, function (event) {
    event.detail = event.nativeEvent.detail;
    trigger(event);
  });
};
