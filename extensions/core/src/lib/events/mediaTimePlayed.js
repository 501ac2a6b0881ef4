'use strict';

var domEventRules = require('../helpers/domEventRules.js');

/**
 * Fires once per matching audio/video element when it has played `amount` seconds (`unit`
 * "second") or `amount` percent of its duration (`unit` "percent"), judged by its current position.
 */
module.exports = function (settings, trigger) {
  var done = [];
  domEventRules('timeupdate', settings, function (event) {
    done.push(event.element);
    trigger(event);
  }, function (element) {
    if (done.indexOf(element) !== -1) {
      return false;
    }
    var played = settings.unit === 'percent' ? (element.currentTime / element.duration) * 100 : element.currentTime;
    return played >= settings.amount;
  });
};
