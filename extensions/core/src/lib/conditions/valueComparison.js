'use strict';

var compareValues = require('../helpers/compareValues.js');

/** Compares `leftOperand` with `rightOperand` (data element tokens already replaced) by `comparison.operator`. */
module.exports = function (settings) {
  return compareValues(settings.leftOperand, settings.comparison, settings.rightOperand);
};
