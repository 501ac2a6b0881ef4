'use strict';

var domEventRules = require('../helpers/domEventRules.js');

/** Fires when a key producing a character is pressed on a matching element (elementSelector, elementProperties and the bubbling options as for every element event). */
module.exports = function (settings, trigger) {
  domEventRules('keypress', settings, trigger);
};
