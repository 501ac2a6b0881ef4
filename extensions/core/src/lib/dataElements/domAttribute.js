'use strict';

var document = require('@adobe/reactor-document');

/**
 * A value of the first element matching `elementSelector`: `text` is its text content, `innerHTML`,
 * `id` and `className` its properties, any other name the attribute of that name (`src`, `data-x`).
 * Undefined when no element matches.
 */
module.exports = function (settings) {
  var element = document.querySelector(settings.elementSelector);
  if (!element) {
    return undefined;
  }
  switch (settings.elementProperty) {
    case 'text':
      return element.textContent;
    case 'innerHTML':
    case 'id':
    case 'className':
      return element[settings.elementProperty];
    default: {
      var value = element.getAttribute(settings.elementProperty);
      return value === null ? undefined : value;
    }
  }
};
