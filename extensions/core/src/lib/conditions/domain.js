'use strict';

var window = require('@adobe/reactor-window');

/** True when the page's host is one of `domains` or a subdomain of one (case-insensitive). */
module.exports = function (settings) {
  var host = window.location.hostname.toLowerCase();
  var domains = settings.domains || [];
  for (var i = 0; i < domains.length; i++) {
    var domain = String(domains[i]).toLowerCase();
    if (host === domain || host.slice(-(domain.length + 1)) === '.' + domain) {
      return true;
    }
  }
  return false;
};
