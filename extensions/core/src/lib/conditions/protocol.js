'use strict';

var window = require('@adobe/reactor-window');

/** True when the page was loaded over `protocol` ("http:" or "https:"). */
module.exports = function (settings) {
  return window.location.protocol === settings.protocol;
};
