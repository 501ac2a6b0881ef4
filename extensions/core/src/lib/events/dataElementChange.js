'use strict';

/* global turbine */

var POLL_MS = 1000;

function snapshot(value) {
  try {
    return JSON.stringify(value);
  } catch (e) {
    return String(value);
  }
}

/**
 * Fires when the value of the data element `name` changes: it is read once a second and compared
 * (by its JSON form, so a new object with the same content is no change) with the previous value.
 */
module.exports = function (settings, trigger) {
  var last = snapshot(turbine.getDataElementValue(settings.name));
  setInterval(function () {
    var current = snapshot(turbine.getDataElementValue(settings.name));
    if (current !== last) {
      last = current;
      trigger({});
    }
  }, POLL_MS);
};
