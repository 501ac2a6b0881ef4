'use strict';

var visitorTracking = require('../helpers/visitorTracking.js');
var matchUrl = require('../helpers/matchUrl.js');
var valueList = require('../helpers/valueList.js');

/**
 * True when the session's landing page matches one of `landingPages` (`[{ value, pageIsRegex? }]`)
 * or the older single `page` / `pageIsRegex`.
 */
module.exports = function (settings) {
  var landingPage = visitorTracking.getLandingPage();
  return valueList(settings, 'landingPages', 'page', 'pageIsRegex').some(function (entry) {
    return matchUrl(landingPage, entry.value, entry.valueIsRegex);
  });
};
