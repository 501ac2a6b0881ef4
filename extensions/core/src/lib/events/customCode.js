'use strict';

/**
 * Runs the rule's own code once, when the rules initialise. `source` arrives as a function (the
 * `function` transform, parameter `trigger`); the code calls `trigger()` whenever the rule should fire.
 */
module.exports = function (settings, trigger) {
  settings.source(trigger);
};
