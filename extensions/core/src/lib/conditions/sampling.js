'use strict';

var storage = require('../helpers/safeStorage.js');

var PREFIX = 'com.adobe.reactor.core.sampling.';

function cohortOf(ruleId) {
  var key = PREFIX + ruleId;
  var stored = parseFloat(storage.getLocal(key));
  if (!isNaN(stored)) {
    return stored;
  }
  var drawn = Math.random();
  storage.setLocal(key, drawn);
  return drawn;
}

/**
 * Passes a `rate` (0 to 1) share of the time. With `persistCohort` the draw is made once per visitor
 * and rule (localStorage `com.adobe.reactor.core.sampling.<rule id>`), so a visitor stays in or out.
 */
module.exports = function (settings, event) {
  var rate = Number(settings.rate);
  var ruleId = event && event.$rule && event.$rule.id;
  var draw = settings.persistCohort && ruleId ? cohortOf(ruleId) : Math.random();
  return draw < rate;
};
