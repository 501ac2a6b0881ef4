'use strict';

var window = require('@adobe/reactor-window');
var compareNumbers = require('../helpers/compareNumbers.js');

/** True when the screen's width and height compare as configured with `width` and `height`. */
module.exports = function (settings) {
  return (
    compareNumbers(window.screen.width, settings.widthOperator, settings.width) &&
    compareNumbers(window.screen.height, settings.heightOperator, settings.height)
  );
};
