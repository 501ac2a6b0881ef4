'use strict';

var window = require('@adobe/reactor-window');
var document = require('@adobe/reactor-document');

/** One fact about the current page. */
module.exports = function (settings) {
  switch (settings.attribute) {
    case 'url':
      return window.location.href;
    case 'hostname':
      return window.location.hostname;
    case 'pathname':
      return window.location.pathname;
    case 'protocol':
      return window.location.protocol;
    case 'referrer':
      return document.referrer;
    case 'title':
      return document.title;
    default:
      return undefined;
  }
};
