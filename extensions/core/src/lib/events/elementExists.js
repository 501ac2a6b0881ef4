'use strict';

var watchElements = require('../helpers/watchElements.js');

/**
 * Fires once for each element matching `elementSelector` (and `elementProperties`) as soon as it
 * exists in the document: at once for elements already there, later for elements added afterwards.
 */
module.exports = function (settings, trigger) {
  watchElements(settings, function (element) {
    trigger({ element: element, target: element });
  });
};
