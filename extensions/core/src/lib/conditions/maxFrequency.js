'use strict';

var storage = require('../helpers/safeStorage.js');

var PREFIX = 'com.adobe.reactor.core.maxFrequency.';
var UNIT_MS = {
  second: 1000,
  minute: 60 * 1000,
  day: 24 * 60 * 60 * 1000,
  week: 7 * 24 * 60 * 60 * 1000,
  month: 30 * 24 * 60 * 60 * 1000
};
var pageView = {};

function oncePer(get, set, key) {
  if (get(key) !== null) {
    return false;
  }
  set(key, '1');
  return true;
}

function oncePerPeriod(key, period) {
  var last = parseInt(storage.getLocal(key), 10);
  var now = new Date().getTime();
  if (!isNaN(last) && now - last < period) {
    return false;
  }
  storage.setLocal(key, now);
  return true;
}

/**
 * Passes at most once per page view, session or visitor (`unit` "pageView", "session", "visitor"),
 * or once every `count` seconds, minutes, days, weeks or months (a month is 30 days), per rule.
 * Records live in sessionStorage (session) or localStorage (visitor and periods) under
 * `com.adobe.reactor.core.maxFrequency.<rule id>`.
 */
module.exports = function (settings, event) {
  var ruleId = (event && event.$rule && event.$rule.id) || 'unknown';
  var key = PREFIX + ruleId;
  switch (settings.unit) {
    case 'pageView':
      return oncePer(function (k) { return pageView[k] || null; }, function (k, v) { pageView[k] = v; }, key);
    case 'session':
      return oncePer(storage.getSession, storage.setSession, key);
    case 'visitor':
      return oncePer(storage.getLocal, storage.setLocal, key);
    default:
      return Object.prototype.hasOwnProperty.call(UNIT_MS, settings.unit)
        ? oncePerPeriod(key + '.' + settings.unit, UNIT_MS[settings.unit] * (settings.count || 1))
        : false;
  }
};
