'use strict';

var window = require('@adobe/reactor-window');
var document = require('@adobe/reactor-document');

/** "<width>x<height>" of the window's viewport (`windowSize`) or of the screen (`screenSize`). */
module.exports = function (settings) {
  if (settings.attribute === 'screenSize') {
    return window.screen.width + 'x' + window.screen.height;
  }
  if (settings.attribute === 'windowSize') {
    return document.documentElement.clientWidth + 'x' + document.documentElement.clientHeight;
  }
  return undefined;
};
