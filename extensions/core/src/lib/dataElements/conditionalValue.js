'use strict';

var compareValues = require('../helpers/compareValues.js');

/**
 * `conditionalValue` when `leftOperand` compares with `rightOperand` as `comparison` says, otherwise
 * `fallbackValue`. `returnConditionalValue` / `returnFallbackValue` set to false return nothing instead.
 */
module.exports = function (settings) {
  if (compareValues(settings.leftOperand, settings.comparison, settings.rightOperand)) {
    return settings.returnConditionalValue === false ? undefined : settings.conditionalValue;
  }
  return settings.returnFallbackValue === false ? undefined : settings.fallbackValue;
};
