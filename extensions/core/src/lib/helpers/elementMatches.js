'use strict';

var matchValue = require('./matchValue.js');

function matchesSelector(node, selector) {
  var matches = node.matches || node.msMatchesSelector || node.webkitMatchesSelector;
  return Boolean(matches) && matches.call(node, selector);
}

function propertyValue(node, name) {
  var value = node[name];
  if (value === undefined && node.getAttribute) {
    value = node.getAttribute(name);
  }
  return value;
}

/**
 * Whether an element matches a rule's `elementSelector` (CSS) and every one of its
 * `elementProperties` ({ name, value, valueIsRegex }: the element's property, or else attribute,
 * compared exactly or as a regular expression).
 */
module.exports = function (node, settings) {
  if (!node || node.nodeType !== 1) {
    return false;
  }
  if (settings.elementSelector && !matchesSelector(node, settings.elementSelector)) {
    return false;
  }
  var properties = settings.elementProperties || [];
  for (var i = 0; i < properties.length; i++) {
    var property = properties[i];
    if (!matchValue(propertyValue(node, property.name), property.value, { valueIsRegex: property.valueIsRegex })) {
      return false;
    }
  }
  return true;
};
