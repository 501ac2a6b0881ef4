'use strict';

var domEventRules = require('../helpers/domEventRules.js');

/** Fires when a matching element gains the focus (elementSelector, elementProperties and the bubbling options as for every element event). */
module.exports = function (settings, trigger) {
  domEventRules('focus', settings, trigger);
};
