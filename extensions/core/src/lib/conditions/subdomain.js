'use strict';

var window = require('@adobe/reactor-window');
var matchAny = require('../helpers/matchAny.js');

/** True when the page's host name (`shop.example.com`) matches one of `subdomains`. */
module.exports = function (settings) {
  return matchAny(window.location.hostname, settings.subdomains);
};
