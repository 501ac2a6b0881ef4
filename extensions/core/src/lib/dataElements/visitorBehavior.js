'use strict';

var visitorTracking = require('../helpers/visitorTracking.js');

var READERS = {
  landingPage: visitorTracking.getLandingPage,
  trafficSource: visitorTracking.getTrafficSource,
  minutesOnSite: visitorTracking.getMinutesOnSite,
  sessionCount: visitorTracking.getSessionCount,
  sessionPageViewCount: visitorTracking.getSessionPageViewCount,
  lifetimePageViewCount: visitorTracking.getLifetimePageViewCount,
  isNewVisitor: visitorTracking.getIsNewVisitor
};

/** One visitor-behaviour fact (shared tracker with the engagement conditions). */
module.exports = function (settings) {
  return Object.prototype.hasOwnProperty.call(READERS, settings.attribute) ? READERS[settings.attribute]() : undefined;
};
