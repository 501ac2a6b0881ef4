'use strict';

var window = require('@adobe/reactor-window');
var getObjectProperty = require('../helpers/getObjectProperty.js');
var matchValue = require('../helpers/matchValue.js');

/** True when the global variable `name` (a dotted path, `window.` optional) has `value`. */
module.exports = function (settings) {
  var path = String(settings.name).replace(/^window\./, '');
  return matchValue(getObjectProperty(window, path), settings.value, settings);
};
