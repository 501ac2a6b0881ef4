'use strict';

var document = require('@adobe/reactor-document');
var onceWhen = require('../helpers/onceWhen.js');

var signal = onceWhen();
if (document.readyState === 'loading') {
  document.addEventListener('DOMContentLoaded', signal.fire, true);
} else {
  setTimeout(signal.fire, 0);
}

/** Fires once the DOM is parsed (DOMContentLoaded), or at once if the library loaded after it. */
module.exports = function (settings, trigger) {
  signal.register(function () {
    trigger({});
  });
};
