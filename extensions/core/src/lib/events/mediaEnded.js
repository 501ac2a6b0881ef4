'use strict';

var domEventRules = require('../helpers/domEventRules.js');

/** Fires when a matching audio or video element reaches its end (elementSelector, elementProperties and the bubbling options as for every element event). */
module.exports = function (settings, trigger) {
  domEventRules('ended', settings, trigger);
};
