'use strict';

var window = require('@adobe/reactor-window');
var queryString = require('@adobe/reactor-query-string');

/** Value of a query string parameter of the current page, optionally matching its name case-insensitively. */
module.exports = function (name, caseInsensitive) {
  var params = queryString.parse(window.location.search);
  if (!caseInsensitive) {
    return params[name];
  }
  var lower = String(name).toLowerCase();
  for (var key in params) {
    if (Object.prototype.hasOwnProperty.call(params, key) && key.toLowerCase() === lower) {
      return params[key];
    }
  }
  return undefined;
};
