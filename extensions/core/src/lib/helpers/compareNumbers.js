'use strict';

/**
 * Compares a measured number with the configured one. Operators as the core extension's views offer
 * them: '>', '>=', '=', '<', '<='. Anything that is not a number compares false.
 */
module.exports = function (actual, operator, expected) {
  var a = Number(actual);
  var b = Number(expected);
  if (actual === null || actual === undefined || isNaN(a) || isNaN(b)) {
    return false;
  }
  switch (operator) {
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '=':
      return a === b;
    default:
      return false;
  }
};
