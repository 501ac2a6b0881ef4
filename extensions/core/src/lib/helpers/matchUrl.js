'use strict';

var document = require('@adobe/reactor-document');
var matchValue = require('./matchValue.js');

/**
 * Matches a recorded URL (landing page, traffic source) with a configured value: a regular expression
 * is tested against the whole URL; a plain value equals the whole URL, its host name, or its path.
 */
module.exports = function (url, expected, isRegex) {
  if (!url) {
    return false;
  }
  if (isRegex) {
    return matchValue(url, expected, { valueIsRegex: true });
  }
  var link = document.createElement('a');
  link.href = url;
  return url === expected || link.hostname === expected || link.pathname === expected;
};
