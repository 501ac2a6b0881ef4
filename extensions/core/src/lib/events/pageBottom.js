'use strict';

var window = require('@adobe/reactor-window');
var document = require('@adobe/reactor-document');
var onceWhen = require('../helpers/onceWhen.js');

var signal = onceWhen();
var satellite = window._satellite;

// Synchronous embeds call `_satellite.pageBottom()` before </body>. Asynchronous embeds (or a
// forgotten call) still get the event: when the DOM has been parsed, or at once if it already was.
if (satellite) {
  satellite.pageBottom = signal.fire;
}
if (document.readyState === 'loading') {
  document.addEventListener('DOMContentLoaded', signal.fire, true);
} else {
  setTimeout(signal.fire, 0);
}

module.exports = function (settings, trigger) {
  signal.register(function () {
    trigger({});
  });
};
