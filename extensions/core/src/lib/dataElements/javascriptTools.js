'use strict';

function isText(value) {
  return typeof value === 'string';
}

/** Numbers are worked on as their text, as Adobe's core does; other values stay as they are. */
function asText(value) {
  return typeof value === 'number' ? String(value) : value;
}

function replacement(settings) {
  return settings.replacementValue === undefined ? '' : String(settings.replacementValue);
}

function regexReplace(value, s) {
  var flags = (s.caseInsensitive === true ? 'i' : '') + (s.replaceAll === true ? 'g' : '');
  return value.replace(new RegExp(s.regexInput, flags), replacement(s));
}

function regexMatch(value, s) {
  var match = value.match(new RegExp(s.regexInput, s.caseInsensitive === true ? 'i' : ''));
  return match ? match[0] : undefined;
}

function end(s) {
  return s.end === undefined || s.end === null ? undefined : s.end;
}

/** Operators on text (numbers as text); any other value is returned unchanged. */
var TEXT = {
  simpleReplace: function (value, s) {
    return s.replaceAll === true ? value.split(String(s.searchValue)).join(replacement(s)) : value.replace(String(s.searchValue), replacement(s));
  },
  regexReplace: regexReplace,
  regexMatch: regexMatch,
  substring: function (value, s) {
    return value.substring(s.start, end(s));
  },
  indexOf: function (value, s) {
    return value.indexOf(s.searchValue);
  },
  lastIndexOf: function (value, s) {
    return value.lastIndexOf(s.searchValue);
  },
  split: function (value, s) {
    return value.split(s.delimiter);
  }
};

/** Operators on arrays; any other value is returned unchanged. `arrayPop`/`arrayShift` do not modify the source. */
var ARRAY = {
  join: function (value, s) {
    return value.join(s.delimiter);
  },
  arrayPop: function (value) {
    return value[value.length - 1];
  },
  arrayShift: function (value) {
    return value[0];
  }
};

/**
 * JavaScript tools (Adobe's core shape): applies `operator` to `sourceValue`, a data element token
 * Turbine has already resolved. Text operators: simpleReplace (searchValue → replacementValue, first
 * or with replaceAll every occurrence), regexReplace (regexInput, caseInsensitive, replaceAll),
 * regexMatch (the first match), substring (start, end?), indexOf / lastIndexOf (searchValue), split
 * (delimiter). Array operators: join (delimiter), arrayPop (last item), arrayShift (first item).
 * `slice` (start, end?) works on text and arrays, `length` gives the length of text or an array (0
 * for anything else). An invalid regular expression gives undefined.
 */
module.exports = function (settings) {
  var value = asText(settings.sourceValue);
  var operator = settings.operator;
  try {
    if (operator === 'length') {
      return isText(value) || Array.isArray(value) ? value.length : 0;
    }
    if (operator === 'slice') {
      return isText(value) || Array.isArray(value) ? value.slice(settings.start, end(settings)) : value;
    }
    if (Object.prototype.hasOwnProperty.call(TEXT, operator)) {
      return isText(value) ? TEXT[operator](value, settings) : value;
    }
    if (Object.prototype.hasOwnProperty.call(ARRAY, operator)) {
      return Array.isArray(value) ? ARRAY[operator](value, settings) : value;
    }
  } catch (e) {
    return undefined;
  }
  return undefined;
};
