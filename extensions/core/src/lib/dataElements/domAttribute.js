'use strict';

var document = require('@adobe/reactor-document');

/**
 * A value of the first element matching `elementSelector`: `text` is its text content; a name the
 * element has as a plain property (`innerHTML`, `id`, `className`, `src`, `href`, `value` …) gives
 * that property (so `src` and `href` are absolute URLs); any other name (`data-sku`, `aria-label`)
 * the attribute of that name. Undefined when no element matches or the attribute is absent.
 */
module.exports = function (settings) {
  var element = document.querySelector(settings.elementSelector);
  if (!element) {
    return undefined;
  }
  var name = settings.elementProperty;
  if (name === 'text') {
    return element.textContent;
  }
  if (name in element) {
    var property = element[name];
    if (property !== null && typeof property !== 'object' && typeof property !== 'function') {
      return property;
    }
  }
  var value = element.getAttribute(name);
  return value === null ? undefined : value;
};
