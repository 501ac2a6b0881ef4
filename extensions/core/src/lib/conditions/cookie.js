'use strict';

var cookie = require('@adobe/reactor-cookie');
var matchValue = require('../helpers/matchValue.js');

/** True when the cookie `name` has the configured value. */
module.exports = function (settings) {
  return matchValue(cookie.get(settings.name), settings.value, settings);
};
