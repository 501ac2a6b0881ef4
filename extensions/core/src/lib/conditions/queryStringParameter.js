'use strict';

var matchAny = require('../helpers/matchAny.js');
var getQueryParam = require('../helpers/getQueryParam.js');
var valueList = require('../helpers/valueList.js');

/**
 * True when the query string parameter `name` (exact name) has one of the configured values:
 * `queryParams` (`[{ value, valueIsRegex? }]`) or the older single `value` / `valueIsRegex`.
 */
module.exports = function (settings) {
  return matchAny(getQueryParam(settings.name), valueList(settings, 'queryParams', 'value', 'valueIsRegex'));
};
