'use strict';

var cookie = require('@adobe/reactor-cookie');
var matchAny = require('../helpers/matchAny.js');
var valueList = require('../helpers/valueList.js');

/**
 * True when the cookie `name` has one of the configured values: `cookieValues`
 * (`[{ value, valueIsRegex? }]`) or the older single `value` / `valueIsRegex`.
 */
module.exports = function (settings) {
  return matchAny(cookie.get(settings.name), valueList(settings, 'cookieValues', 'value', 'valueIsRegex'));
};
