'use strict';

/**
 * A numeric setting as a number. Adobe's schemas let delays, durations and amounts be a number or a
 * data element token (`"%delay%"`); Turbine resolves the token before the module runs, often to a
 * string ("500"). Anything that is not a finite number gives `fallback`.
 */
module.exports = function (value, fallback) {
  var number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return isFinite(number) ? number : fallback;
};
