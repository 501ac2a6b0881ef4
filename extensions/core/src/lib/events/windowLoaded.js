'use strict';

var window = require('@adobe/reactor-window');
var document = require('@adobe/reactor-document');
var onceWhen = require('../helpers/onceWhen.js');

var signal = onceWhen();
if (document.readyState === 'complete') {
  setTimeout(signal.fire, 0);
} else {
  window.addEventListener('load', signal.fire, true);
}

/** Fires once the window's load event has happened. */
module.exports = function (settings, trigger) {
  signal.register(function () {
    trigger({});
  });
};
