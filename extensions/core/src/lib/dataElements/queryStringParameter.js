'use strict';

var getQueryParam = require('../helpers/getQueryParam.js');

/** Value of the query string parameter `name` of the current page. */
module.exports = function (settings) {
  return getQueryParam(settings.name, settings.caseInsensitive);
};
