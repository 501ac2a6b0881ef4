'use strict';

var cookie = require('@adobe/reactor-cookie');

/** Value of the cookie `name`. */
module.exports = function (settings) {
  return cookie.get(settings.name);
};
