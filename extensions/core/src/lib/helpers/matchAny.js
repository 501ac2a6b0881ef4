'use strict';

var matchValue = require('./matchValue.js');

/**
 * True when `actual` matches one of `patterns` (`[{ value, valueIsRegex? }]`, joined by OR), as the
 * path, hash and subdomain conditions configure them. `normalize` may rewrite a plain value first.
 */
module.exports = function (actual, patterns, normalize) {
  var list = patterns || [];
  for (var i = 0; i < list.length; i++) {
    var pattern = list[i] || {};
    var expected = !pattern.valueIsRegex && normalize ? normalize(pattern.value) : pattern.value;
    if (matchValue(actual, expected, { valueIsRegex: pattern.valueIsRegex })) {
      return true;
    }
  }
  return false;
};
