'use strict';

/**
 * True between `start` and `end` (ISO 8601 date-times with an offset; either may be left out). The
 * time zone the view shows them in (`timezone`) is already folded into the instants, and the build
 * drops it (a `remove` transform, as in Adobe's core).
 */
module.exports = function (settings) {
  var now = new Date().getTime();
  if (settings.start && now < new Date(settings.start).getTime()) {
    return false;
  }
  if (settings.end && now > new Date(settings.end).getTime()) {
    return false;
  }
  return true;
};
