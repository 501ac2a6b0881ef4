'use strict';

var window = require('@adobe/reactor-window');

var triggersById = {};
var previousTrack = null;

function track(identifier, detail) {
  var key = String(identifier);
  if (!Object.prototype.hasOwnProperty.call(triggersById, key)) {
    if (previousTrack) {
      previousTrack.apply(this, arguments);
    }
    return;
  }
  var triggers = triggersById[key];
  for (var i = 0; i < triggers.length; i++) {
    triggers[i]({ identifier: key, detail: detail });
  }
}

/**
 * Fires when the page calls `_satellite.track(identifier, detail)` with the rule's `identifier`;
 * `detail` is passed to the rule as `event.detail`. Turbine's own `track` (which only logs an unknown
 * identifier) is kept for identifiers no rule listens to.
 */
module.exports = function (settings, trigger) {
  var satellite = window._satellite;
  if (satellite && satellite.track !== track) {
    previousTrack = satellite.track;
    satellite.track = track;
  }
  var key = String(settings.identifier);
  if (!Object.prototype.hasOwnProperty.call(triggersById, key)) {
    triggersById[key] = [];
  }
  triggersById[key].push(trigger);
};
