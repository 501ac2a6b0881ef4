'use strict';

var domEventRules = require('../helpers/domEventRules.js');
var toNumber = require('../helpers/toNumber.js');

/**
 * Fires once per matching audio/video element when it has played `amount` (a number or a data element token) seconds (`unit`
 * "second") or `amount` percent of its duration (`unit` "percent"), judged by its current position.
 */
module.exports = function (settings, trigger) {
  var done = [];
  var amount = toNumber(settings.amount, NaN);
  domEventRules('timeupdate', settings, function (event) {
    done.push(event.element);
    trigger(event);
  }, function (element) {
    if (done.indexOf(element) !== -1) {
      return false;
    }
    var played = settings.unit === 'percent' ? (element.currentTime / element.duration) * 100 : element.currentTime;
    return played >= amount;
  });
};
