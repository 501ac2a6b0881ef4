'use strict';

var visibility = require('../helpers/visibility.js');

/** Fires each time the page's tab loses the focus: it is hidden (another tab, minimised window). */
module.exports = function (settings, trigger) {
  visibility('hidden', function () {
    trigger({});
  });
};
