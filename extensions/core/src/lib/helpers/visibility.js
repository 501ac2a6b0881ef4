'use strict';

var document = require('@adobe/reactor-document');

var listeners = { visible: [], hidden: [] };
var installed = false;

function notify() {
  var list = listeners[document.visibilityState === 'hidden' ? 'hidden' : 'visible'];
  for (var i = 0; i < list.length; i++) {
    list[i]();
  }
}

/** Calls `fn` each time the page's tab becomes `state` ("visible" or "hidden"; Page Visibility API). */
module.exports = function (state, fn) {
  if (!installed) {
    installed = true;
    document.addEventListener('visibilitychange', notify, true);
  }
  listeners[state].push(fn);
};
