'use strict';

/** A random integer between `min` and `max`, both included. */
module.exports = function (settings) {
  var min = Math.ceil(Number(settings.min));
  var max = Math.floor(Number(settings.max));
  return Math.floor(Math.random() * (max - min + 1)) + min;
};
