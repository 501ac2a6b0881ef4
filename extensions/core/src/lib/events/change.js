'use strict';

var domEventRules = require('../helpers/domEventRules.js');
var matchValue = require('../helpers/matchValue.js');

/**
 * Fires when the value of a matching element changes (the DOM change event); with `value`, only
 * when the new value equals it (or, with `valueIsRegex`, matches it).
 */
module.exports = function (settings, trigger) {
  var accept;
  if (settings.value !== undefined) {
    accept = function (element) {
      return matchValue(element.value, settings.value, { valueIsRegex: settings.valueIsRegex });
    };
  }
  domEventRules('change', settings, trigger, accept);
};
