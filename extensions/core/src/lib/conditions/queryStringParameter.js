'use strict';

var matchValue = require('../helpers/matchValue.js');
var getQueryParam = require('../helpers/getQueryParam.js');

/** True when the query string parameter `name` has the configured value. */
module.exports = function (settings) {
  var actual = getQueryParam(settings.name, settings.caseInsensitive);
  return matchValue(actual, settings.value, settings);
};
