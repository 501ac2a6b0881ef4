'use strict';

var visitorTracking = require('../helpers/visitorTracking.js');
var compareNumbers = require('../helpers/compareNumbers.js');

/** Compares the whole minutes since the session's landing page with `minutes`. */
module.exports = function (settings) {
  return compareNumbers(visitorTracking.getMinutesOnSite(), settings.operator, settings.minutes);
};
