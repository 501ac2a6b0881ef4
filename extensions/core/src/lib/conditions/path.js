'use strict';

var window = require('@adobe/reactor-window');
var matchAny = require('../helpers/matchAny.js');

/** Path Without Query String: true when the page's path matches one of `paths`. */
module.exports = function (settings) {
  return matchAny(window.location.pathname, settings.paths);
};
