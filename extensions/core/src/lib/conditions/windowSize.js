'use strict';

var document = require('@adobe/reactor-document');
var compareNumbers = require('../helpers/compareNumbers.js');

/** True when the window's viewport width and height compare as configured with `width` and `height`. */
module.exports = function (settings) {
  var root = document.documentElement;
  return (
    compareNumbers(root.clientWidth, settings.widthOperator, settings.width) &&
    compareNumbers(root.clientHeight, settings.heightOperator, settings.height)
  );
};
