'use strict';

/**
 * Compares an actual value with the configured one: exact, case-insensitive, or as a regular
 * expression. Shared by the path, query string and cookie conditions.
 */
module.exports = function (actual, expected, options) {
  options = options || {};
  if (actual == null) {
    return false;
  }
  actual = String(actual);
  if (options.valueIsRegex) {
    try {
      return new RegExp(expected, options.caseInsensitive ? 'i' : '').test(actual);
    } catch (e) {
      return false;
    }
  }
  if (options.caseInsensitive) {
    return actual.toLowerCase() === String(expected).toLowerCase();
  }
  return actual === String(expected);
};
