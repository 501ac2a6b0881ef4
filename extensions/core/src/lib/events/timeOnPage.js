'use strict';

var document = require('@adobe/reactor-document');
var visibility = require('../helpers/visibility.js');
var toNumber = require('../helpers/toNumber.js');

/**
 * Fires once the visitor has spent `timeOnPage` seconds (a number or a data element token; not a number: never) on the page, counted while the tab is
 * visible (the count pauses while the tab is hidden).
 */
module.exports = function (settings, trigger) {
  var remaining = toNumber(settings.timeOnPage, NaN) * 1000;
  var startedAt = 0;
  var timer = null;
  var fired = false;
  function start() {
    if (fired || timer || isNaN(remaining)) {
      return;
    }
    startedAt = new Date().getTime();
    timer = setTimeout(function () {
      fired = true;
      trigger({});
    }, remaining);
  }
  function pause() {
    if (timer) {
      clearTimeout(timer);
      timer = null;
      remaining -= new Date().getTime() - startedAt;
    }
  }
  visibility('hidden', pause);
  visibility('visible', start);
  if (document.visibilityState !== 'hidden') {
    start();
  }
};
