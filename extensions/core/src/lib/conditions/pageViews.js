'use strict';

var visitorTracking = require('../helpers/visitorTracking.js');
var compareNumbers = require('../helpers/compareNumbers.js');

/** Compares the visitor's page views (`duration`: "lifetime" or "session") with `count`. */
module.exports = function (settings) {
  var views =
    settings.duration === 'session' ? visitorTracking.getSessionPageViewCount() : visitorTracking.getLifetimePageViewCount();
  return compareNumbers(views, settings.operator, settings.count);
};
