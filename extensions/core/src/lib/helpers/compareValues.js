'use strict';

var numberOf = require('./toNumber.js');

/**
 * The value comparison of the core extension (Value Comparison condition, Conditional Value data
 * element), with the meaning Adobe documents for each operator: string operators take strings and
 * numbers (numbers become strings; anything else makes the positive operators false and the negative
 * ones true), number operators take numbers and numeric strings, `equals` is JavaScript's `==`.
 */
function isText(value) {
  return typeof value === 'string' || typeof value === 'number';
}

function toText(value, caseInsensitive) {
  var text = String(value);
  return caseInsensitive ? text.toLowerCase() : text;
}

function toNumber(value) {
  return numberOf(value, NaN);
}

var textTests = {
  contains: function (l, r) {
    return l.indexOf(r) !== -1;
  },
  startsWith: function (l, r) {
    return l.indexOf(r) === 0;
  },
  endsWith: function (l, r) {
    return l.length >= r.length && l.substring(l.length - r.length) === r;
  },
  matchesRegex: function (l, r, caseInsensitive) {
    try {
      return new RegExp(r, caseInsensitive ? 'i' : '').test(l);
    } catch (e) {
      return false;
    }
  }
};

var negated = {
  doesNotContain: 'contains',
  doesNotStartWith: 'startsWith',
  doesNotEndWith: 'endsWith',
  doesNotMatchRegex: 'matchesRegex'
};

var numberTests = {
  lessThan: function (l, r) {
    return l < r;
  },
  lessThanOrEqual: function (l, r) {
    return l <= r;
  },
  greaterThan: function (l, r) {
    return l > r;
  },
  greaterThanOrEqual: function (l, r) {
    return l >= r;
  }
};

function compareText(test, left, right, caseInsensitive) {
  if (!isText(left) || !isText(right)) {
    return false;
  }
  // A regular expression keeps its case; the `i` flag makes it case-insensitive.
  var keepCase = test === textTests.matchesRegex;
  return test(toText(left, caseInsensitive && !keepCase), toText(right, caseInsensitive && !keepCase), caseInsensitive);
}

function equalValues(left, right, caseInsensitive) {
  if (caseInsensitive && isText(left) && isText(right)) {
    return toText(left, true) === toText(right, true);
  }
  // eslint-disable-next-line eqeqeq
  return left == right;
}

/** `comparison` is `{ operator, caseInsensitive? }` as stored in the settings. */
module.exports = function (left, comparison, right) {
  var operator = comparison && comparison.operator;
  var caseInsensitive = Boolean(comparison && comparison.caseInsensitive);
  if (operator === 'equals') {
    return equalValues(left, right, caseInsensitive);
  }
  if (operator === 'doesNotEqual') {
    return !equalValues(left, right, caseInsensitive);
  }
  if (Object.prototype.hasOwnProperty.call(textTests, operator)) {
    return compareText(textTests[operator], left, right, caseInsensitive);
  }
  if (Object.prototype.hasOwnProperty.call(negated, operator)) {
    return !compareText(textTests[negated[operator]], left, right, caseInsensitive);
  }
  if (Object.prototype.hasOwnProperty.call(numberTests, operator)) {
    var l = toNumber(left);
    var r = toNumber(right);
    return !isNaN(l) && !isNaN(r) && numberTests[operator](l, r);
  }
  switch (operator) {
    case 'isTrue':
      return left === true;
    case 'isTruthy':
      return Boolean(left);
    case 'isFalse':
      return left === false;
    case 'isFalsy':
      return !left;
    default:
      return false;
  }
};
