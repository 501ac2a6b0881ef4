'use strict';

var domEventRules = require('../helpers/domEventRules.js');

/** Fires when a matching form is submitted (elementSelector, elementProperties and the bubbling options as for every element event). */
module.exports = function (settings, trigger) {
  domEventRules('submit', settings, trigger);
};
