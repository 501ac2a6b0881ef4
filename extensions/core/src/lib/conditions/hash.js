'use strict';

var window = require('@adobe/reactor-window');
var matchAny = require('../helpers/matchAny.js');

/** True when the URL's fragment (without `#`) matches one of `hashes` (a leading `#` in a value is ignored). */
module.exports = function (settings) {
  var hash = window.location.hash.replace(/^#/, '');
  return matchAny(hash, settings.hashes, function (value) {
    return String(value).replace(/^#/, '');
  });
};
