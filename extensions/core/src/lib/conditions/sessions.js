'use strict';

var visitorTracking = require('../helpers/visitorTracking.js');
var compareNumbers = require('../helpers/compareNumbers.js');

/** Compares the visitor's number of sessions (this one included) with `count`. */
module.exports = function (settings) {
  return compareNumbers(visitorTracking.getSessionCount(), settings.operator, settings.count);
};
