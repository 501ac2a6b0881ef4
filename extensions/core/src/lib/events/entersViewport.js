'use strict';

var window = require('@adobe/reactor-window');
var watchElements = require('../helpers/watchElements.js');
var toNumber = require('../helpers/toNumber.js');

/**
 * Fires when a matching element (elementSelector, elementProperties) enters the viewport: the first
 * time only (`frequency` "firstEntry", the default) or every time (`everyEntry`). With `delay` (ms; a number or a data element token),
 * the element must stay in the viewport that long; leaving earlier cancels that entry.
 */
module.exports = function (settings, trigger) {
  var everyEntry = settings.frequency === 'everyEntry';
  var delay = toNumber(settings.delay, 0);
  var elements = [];
  var timers = [];
  var observer = new window.IntersectionObserver(function (records) {
    records.forEach(function (record) {
      var element = record.target;
      var index = elements.indexOf(element);
      clearTimeout(timers[index]);
      if (!record.isIntersecting) {
        return;
      }
      timers[index] = setTimeout(function () {
        if (!everyEntry) {
          observer.unobserve(element);
        }
        trigger({ element: element, target: element });
      }, delay);
    });
  });
  watchElements(settings, function (element) {
    elements.push(element);
    observer.observe(element);
  });
};
