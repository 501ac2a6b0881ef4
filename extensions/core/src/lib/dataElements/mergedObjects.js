'use strict';

function isPlainObject(value) {
  return Object.prototype.toString.call(value) === '[object Object]';
}

function mergeInto(target, source) {
  Object.keys(source).forEach(function (key) {
    var value = source[key];
    if (value === undefined) {
      return;
    }
    var existing = Object.prototype.hasOwnProperty.call(target, key) ? target[key] : undefined;
    if (Array.isArray(existing) && Array.isArray(value)) {
      target[key] = existing.concat(value);
    } else if (isPlainObject(existing) && isPlainObject(value)) {
      target[key] = mergeInto(mergeInto({}, existing), value);
    } else if (isPlainObject(value)) {
      target[key] = mergeInto({}, value);
    } else if (Array.isArray(value)) {
      target[key] = value.slice();
    } else {
      target[key] = value;
    }
  });
  return target;
}

/**
 * Deep merge of `objects` (usually data element tokens resolving to objects) into a new object: a
 * later value wins, an undefined one does not override, arrays at the same place are concatenated,
 * the sources are not modified. Entries that are not objects are skipped.
 */
module.exports = function (settings) {
  var result = {};
  (settings.objects || []).forEach(function (source) {
    if (isPlainObject(source)) {
      mergeInto(result, source);
    }
  });
  return result;
};
