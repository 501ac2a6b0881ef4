'use strict';

var window = require('@adobe/reactor-window');
var getObjectProperty = require('../helpers/getObjectProperty.js');
var matchAny = require('../helpers/matchAny.js');
var valueList = require('../helpers/valueList.js');

/**
 * True when the global variable `name` (a dotted path, `window.` optional) has one of the configured
 * values: `variableValues` (`[{ value, valueIsRegex? }]`) or the older single `value` / `valueIsRegex`.
 */
module.exports = function (settings) {
  var path = String(settings.name).replace(/^window\./, '');
  return matchAny(getObjectProperty(window, path), valueList(settings, 'variableValues', 'value', 'valueIsRegex'));
};
