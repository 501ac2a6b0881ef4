'use strict';

/**
 * Runs the user's code (turned into a function of `event` and `target` at build time by the
 * `function` transform, as in Adobe's core) with `this` = the event's element; the condition
 * passes when it returns a truthy value.
 */
module.exports = function (settings, event) {
  var element = event && event.element;
  return Boolean(settings.source.call(element, event, event && event.target));
};
