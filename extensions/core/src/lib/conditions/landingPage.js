'use strict';

var visitorTracking = require('../helpers/visitorTracking.js');
var matchUrl = require('../helpers/matchUrl.js');

/** True when the session's landing page matches `page` (`pageIsRegex` for a regular expression). */
module.exports = function (settings) {
  return matchUrl(visitorTracking.getLandingPage(), settings.page, settings.pageIsRegex);
};
