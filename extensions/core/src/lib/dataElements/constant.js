'use strict';

/** A fixed value. */
module.exports = function (settings) {
  return settings.value;
};
