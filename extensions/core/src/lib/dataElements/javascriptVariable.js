'use strict';

var window = require('@adobe/reactor-window');
var getObjectProperty = require('../helpers/getObjectProperty.js');

/** Value of a global variable, addressed by a dotted path (`digitalData.page.name`). */
module.exports = function (settings) {
  return getObjectProperty(window, settings.path);
};
