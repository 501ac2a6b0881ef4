'use strict';

var visitorTracking = require('../helpers/visitorTracking.js');
var matchUrl = require('../helpers/matchUrl.js');
var valueList = require('../helpers/valueList.js');

/**
 * True when the session's traffic source (its landing page's referrer) matches one of
 * `trafficSources` (`[{ value, sourceIsRegex? }]`) or the older single `source` / `sourceIsRegex`.
 */
module.exports = function (settings) {
  var source = visitorTracking.getTrafficSource();
  return valueList(settings, 'trafficSources', 'source', 'sourceIsRegex').some(function (entry) {
    return matchUrl(source, entry.value, entry.valueIsRegex);
  });
};
