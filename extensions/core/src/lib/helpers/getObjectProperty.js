'use strict';

/** Reads a dotted path (`digitalData.page.name`) from an object, `undefined` when any link is missing. */
module.exports = function (host, path) {
  var parts = String(path).split('.');
  var value = host;
  for (var i = 0; i < parts.length; i++) {
    if (value == null) {
      return undefined;
    }
    value = value[parts[i]];
  }
  return value;
};
