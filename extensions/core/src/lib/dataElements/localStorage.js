'use strict';

var window = require('@adobe/reactor-window');

/** The localStorage item `name`; undefined when absent or when storage is refused. */
module.exports = function (settings) {
  try {
    var value = window.localStorage.getItem(settings.name);
    return value === null ? undefined : value;
  } catch (e) {
    return undefined;
  }
};
