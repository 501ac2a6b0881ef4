'use strict';

var domEventRules = require('../helpers/domEventRules.js');
var matchAny = require('../helpers/matchAny.js');

/**
 * Fires when the value of a matching element changes (the DOM change event). With
 * `acceptableChangeValues` (`[{ value, valueIsRegex? }]`, Adobe's current shape), only when the new
 * value matches one of them; with the older single `value` (`valueIsRegex`), only when it matches
 * that value. Without either, on every change.
 */
module.exports = function (settings, trigger) {
  var accepted = settings.acceptableChangeValues;
  if (!accepted && settings.value !== undefined) {
    accepted = [{ value: settings.value, valueIsRegex: settings.valueIsRegex }];
  }
  var accept;
  if (accepted) {
    accept = function (element) {
      return matchAny(element.value, accepted);
    };
  }
  domEventRules('change', settings, trigger, accept);
};
