'use strict';

var domEventRules = require('../helpers/domEventRules.js');

/** Fires when the volume (or muted state) of a matching audio or video element changes (elementSelector, elementProperties and the bubbling options as for every element event). */
module.exports = function (settings, trigger) {
  domEventRules('volumechange', settings, trigger);
};
