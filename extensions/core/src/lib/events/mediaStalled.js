'use strict';

var domEventRules = require('../helpers/domEventRules.js');

/** Fires when a matching audio or video element waits for data that does not come (elementSelector, elementProperties and the bubbling options as for every element event). */
module.exports = function (settings, trigger) {
  domEventRules('stalled', settings, trigger);
};
