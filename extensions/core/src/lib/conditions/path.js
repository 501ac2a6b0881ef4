'use strict';

var window = require('@adobe/reactor-window');
var matchValue = require('../helpers/matchValue.js');

/** True when the page path (with query string) matches one of the configured paths. */
module.exports = function (settings) {
  var path = window.location.pathname + window.location.search;
  var paths = settings.paths || [];
  for (var i = 0; i < paths.length; i++) {
    if (matchValue(path, paths[i].value, { valueIsRegex: paths[i].valueIsRegex })) {
      return true;
    }
  }
  return false;
};
