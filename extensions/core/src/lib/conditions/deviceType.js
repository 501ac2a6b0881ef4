'use strict';

var clientInfo = require('../helpers/clientInfo.js');

/** True when the visitor's device type is one of `deviceTypes` (e.g. "Desktop", "iPhone"). */
module.exports = function (settings) {
  return clientInfo.isOneOf(clientInfo.getDeviceType(), settings.deviceTypes);
};
