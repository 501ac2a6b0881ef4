'use strict';

var window = require('@adobe/reactor-window');
var matchAny = require('../helpers/matchAny.js');

/** True when the page's path with its query string (`/shop?x=1`) matches one of `paths`. */
module.exports = function (settings) {
  return matchAny(window.location.pathname + window.location.search, settings.paths);
};
