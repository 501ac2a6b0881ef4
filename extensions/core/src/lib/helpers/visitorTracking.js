'use strict';

var window = require('@adobe/reactor-window');
var document = require('@adobe/reactor-document');
var storage = require('./safeStorage.js');

/**
 * The visitor tracker shared by the visitor-behaviour conditions (landing page, new/returning
 * visitor, page views, sessions, time on site, traffic source) and the visitor-behavior data element.
 *
 * Storage, under the key prefix `com.adobe.reactor.core.visitorTracking.`:
 * - localStorage (lifetime): `sessionCount`, `lifetimePageViewCount`;
 * - sessionStorage (this browser session): `landingPage` (URL of the session's first page),
 *   `landingTime` (ms since the epoch), `trafficSource` (the referrer of the landing page, '' when
 *   none), `sessionPageViewCount`.
 * A session is a browser session (sessionStorage's lifetime). The current page view is counted once,
 * the first time any of these modules is used on the page.
 */
var PREFIX = 'com.adobe.reactor.core.visitorTracking.';

function readInt(value) {
  var n = parseInt(value, 10);
  return isNaN(n) ? 0 : n;
}

function trackPageView() {
  var newSession = storage.getSession(PREFIX + 'landingTime') === null;
  if (newSession) {
    storage.setSession(PREFIX + 'landingPage', window.location.href);
    storage.setSession(PREFIX + 'landingTime', new Date().getTime());
    storage.setSession(PREFIX + 'trafficSource', document.referrer || '');
    storage.setLocal(PREFIX + 'sessionCount', readInt(storage.getLocal(PREFIX + 'sessionCount')) + 1);
  }
  storage.setSession(PREFIX + 'sessionPageViewCount', readInt(storage.getSession(PREFIX + 'sessionPageViewCount')) + 1);
  storage.setLocal(PREFIX + 'lifetimePageViewCount', readInt(storage.getLocal(PREFIX + 'lifetimePageViewCount')) + 1);
}

trackPageView();

module.exports = {
  getLandingPage: function () {
    return storage.getSession(PREFIX + 'landingPage') || '';
  },
  getTrafficSource: function () {
    return storage.getSession(PREFIX + 'trafficSource') || '';
  },
  /** Whole minutes since the session's landing page was loaded. */
  getMinutesOnSite: function () {
    var landing = readInt(storage.getSession(PREFIX + 'landingTime'));
    return Math.floor((new Date().getTime() - landing) / 60000);
  },
  getSessionCount: function () {
    return readInt(storage.getLocal(PREFIX + 'sessionCount'));
  },
  getSessionPageViewCount: function () {
    return readInt(storage.getSession(PREFIX + 'sessionPageViewCount'));
  },
  getLifetimePageViewCount: function () {
    return readInt(storage.getLocal(PREFIX + 'lifetimePageViewCount'));
  },
  /** A new visitor is in their first session. */
  getIsNewVisitor: function () {
    return readInt(storage.getLocal(PREFIX + 'sessionCount')) <= 1;
  }
};
