'use strict';

var compareValues = require('../helpers/compareValues.js');

/**
 * `conditionalValue` when `leftOperand` compares with `rightOperand` as `comparison` says (the value
 * comparison condition's settings), otherwise `fallbackValue`; either may be left out (undefined).
 */
module.exports = function (settings) {
  return compareValues(settings.leftOperand, settings.comparison, settings.rightOperand) ? settings.conditionalValue : settings.fallbackValue;
};
