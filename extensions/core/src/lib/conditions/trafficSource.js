'use strict';

var visitorTracking = require('../helpers/visitorTracking.js');
var matchUrl = require('../helpers/matchUrl.js');

/** True when the session's traffic source (its landing page's referrer) matches `source`. */
module.exports = function (settings) {
  return matchUrl(visitorTracking.getTrafficSource(), settings.source, settings.sourceIsRegex);
};
