'use strict';

var clientInfo = require('../helpers/clientInfo.js');

/**
 * True when the visitor's browser is one of `browsers`: Adobe's names "Chrome", "Firefox", "IE",
 * "Edge", "Safari", "Mobile Safari". "Edge" covers the Chromium-based Edge too (Launch offers no
 * other Edge), which the user agent tells apart as "Edge Chromium".
 */
module.exports = function (settings) {
  var browser = clientInfo.getBrowser();
  return clientInfo.isOneOf(browser, settings.browsers) || (browser === 'Edge Chromium' && clientInfo.isOneOf('Edge', settings.browsers));
};
