'use strict';

var domEventRules = require('../helpers/domEventRules.js');

/** Fires when a matching audio or video element has loaded the data of its current frame (elementSelector, elementProperties and the bubbling options as for every element event). */
module.exports = function (settings, trigger) {
  domEventRules('loadeddata', settings, trigger);
};
