'use strict';

var visibility = require('../helpers/visibility.js');

/** Fires each time the page's tab gains the focus again: it becomes visible after being hidden. */
module.exports = function (settings, trigger) {
  visibility('visible', function () {
    trigger({});
  });
};
