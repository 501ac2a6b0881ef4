'use strict';

var clientInfo = require('../helpers/clientInfo.js');

/** True when the visitor's browser is one of `browsers` (e.g. "Chrome", "Firefox", "Mobile Safari"). */
module.exports = function (settings) {
  return clientInfo.isOneOf(clientInfo.getBrowser(), settings.browsers);
};
