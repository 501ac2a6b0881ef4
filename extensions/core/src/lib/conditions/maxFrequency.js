'use strict';

var storage = require('../helpers/safeStorage.js');
var visitorTracking = require('../helpers/visitorTracking.js');

var PREFIX = 'com.adobe.reactor.core.maxFrequency.';
var UNIT_MS = {
  second: 1000,
  minute: 60 * 1000,
  day: 24 * 60 * 60 * 1000,
  week: 7 * 24 * 60 * 60 * 1000,
  month: 30 * 24 * 60 * 60 * 1000
};

/** Where a unit is counted: page views and sessions by the visitor tracker, periods by the clock. */
function positionIn(unit) {
  if (unit === 'pageView') {
    return visitorTracking.getLifetimePageViewCount();
  }
  if (unit === 'session') {
    return visitorTracking.getSessionCount();
  }
  return Object.prototype.hasOwnProperty.call(UNIT_MS, unit) ? new Date().getTime() : null;
}

/**
 * "Return true no more than once every `count` `unit`s", per rule: `unit` "pageView" or "session"
 * (counted by the visitor tracker), "visitor" (once ever), or "second", "minute", "day", "week",
 * "month" (30 days). `count` defaults to 1. The position of the last true answer is kept in
 * localStorage under `com.adobe.reactor.core.maxFrequency.<rule id>.<unit>`.
 */
module.exports = function (settings, event) {
  var ruleId = (event && event.$rule && event.$rule.id) || 'unknown';
  var key = PREFIX + ruleId + '.' + settings.unit;
  var last = storage.getLocal(key);
  if (settings.unit === 'visitor') {
    if (last !== null) {
      return false;
    }
    storage.setLocal(key, '1');
    return true;
  }
  var now = positionIn(settings.unit);
  if (now === null) {
    return false;
  }
  var every = (settings.count || 1) * (Object.prototype.hasOwnProperty.call(UNIT_MS, settings.unit) ? UNIT_MS[settings.unit] : 1);
  if (last !== null && now - parseFloat(last) < every) {
    return false;
  }
  storage.setLocal(key, now);
  return true;
};
