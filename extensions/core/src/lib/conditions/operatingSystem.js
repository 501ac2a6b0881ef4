'use strict';

var clientInfo = require('../helpers/clientInfo.js');

/** True when the visitor's operating system is one of `operatingSystems` (e.g. "Windows", "iOS"). */
module.exports = function (settings) {
  return clientInfo.isOneOf(clientInfo.getOperatingSystem(), settings.operatingSystems);
};
