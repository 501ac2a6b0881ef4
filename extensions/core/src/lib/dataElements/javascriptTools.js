'use strict';

function text(value) {
  return value === undefined || value === null ? undefined : String(value);
}

function regexReplace(input, settings) {
  var flags = 'g' + (settings.caseInsensitive ? 'i' : '');
  try {
    return input.replace(new RegExp(settings.regexInput, flags), text(settings.replacementValue) || '');
  } catch (e) {
    return undefined;
  }
}

var STRING_OPERATORS = {
  simpleReplace: function (input, s) {
    return input.split(String(s.searchValue)).join(text(s.replacementValue) || '');
  },
  regexReplace: regexReplace,
  substring: function (input, s) {
    var start = Number(s.start) || 0;
    return s.length === undefined || s.length === '' ? input.substr(start) : input.substr(start, Number(s.length));
  },
  indexOf: function (input, s) {
    return input.indexOf(String(s.searchValue));
  },
  lastIndexOf: function (input, s) {
    return input.lastIndexOf(String(s.searchValue));
  },
  stringLength: function (input) {
    return input.length;
  }
};

var ARRAY_OPERATORS = {
  arrayJoin: function (input, s) {
    return input.join(s.delimiter === undefined ? ',' : String(s.delimiter));
  },
  arrayPop: function (input) {
    return input[input.length - 1];
  },
  arraySlice: function (input, s) {
    var end = s.end === undefined || s.end === '' ? undefined : Number(s.end);
    return input.slice(Number(s.start) || 0, end);
  },
  arrayLength: function (input) {
    return input.length;
  }
};

/**
 * Applies a JavaScript operation to `dataElement` (a data element token, already resolved): string
 * operators (simpleReplace, regexReplace, substring, indexOf, lastIndexOf, stringLength) take a string
 * or number, array operators (arrayJoin, arrayPop, arraySlice, arrayLength) an array. Undefined when
 * the value has the wrong type or the operator is unknown. The source value is not modified.
 */
module.exports = function (settings) {
  var input = settings.dataElement;
  var operator = settings.operator;
  if (Object.prototype.hasOwnProperty.call(STRING_OPERATORS, operator)) {
    return typeof input === 'string' || typeof input === 'number' ? STRING_OPERATORS[operator](String(input), settings) : undefined;
  }
  if (Object.prototype.hasOwnProperty.call(ARRAY_OPERATORS, operator)) {
    return Array.isArray(input) ? ARRAY_OPERATORS[operator](input.slice(), settings) : undefined;
  }
  return undefined;
};
