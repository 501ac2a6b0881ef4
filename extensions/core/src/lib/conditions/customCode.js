'use strict';

/**
 * Runs the user's code (turned into a function at build time by the customCode transform) with the
 * synthetic event; the condition passes when it returns a truthy value.
 */
module.exports = function (settings, event) {
  var element = event && event.element;
  return Boolean(settings.source.call(element, event, event && event.target));
};
