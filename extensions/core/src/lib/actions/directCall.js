'use strict';

var window = require('@adobe/reactor-window');

/** `detail.eventObjectEntries` (`[{ key, value? }]`) as an object, or undefined without entries. */
function detailOf(settings) {
  var entries = settings.detail && settings.detail.eventObjectEntries;
  if (!Array.isArray(entries) || entries.length === 0) {
    return undefined;
  }
  var detail = {};
  entries.forEach(function (entry) {
    if (entry && entry.key) {
      detail[entry.key] = entry.value;
    }
  });
  return detail;
}

/**
 * Trigger Direct Call: `_satellite.track(identifier, detail)`, which fires the rules whose Direct Call
 * event has that identifier. `detail` is built from `detail.eventObjectEntries` (key → value, data
 * element tokens already resolved) and reaches those rules as `event.detail`.
 */
module.exports = function (settings) {
  var satellite = window._satellite;
  if (settings.identifier && satellite && typeof satellite.track === 'function') {
    satellite.track(settings.identifier, detailOf(settings));
  }
};
