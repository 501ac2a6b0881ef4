'use strict';

var window = require('@adobe/reactor-window');

var triggers = [];
var lastUrl = window.location.href;

function check() {
  var url = window.location.href;
  if (url === lastUrl) {
    return;
  }
  lastUrl = url;
  for (var i = 0; i < triggers.length; i++) {
    triggers[i]({});
  }
}

function wrap(name) {
  var original = window.history[name];
  if (typeof original !== 'function') {
    return;
  }
  window.history[name] = function () {
    var result = original.apply(this, arguments);
    check();
    return result;
  };
}

var installed = false;
function install() {
  installed = true;
  wrap('pushState');
  wrap('replaceState');
  window.addEventListener('popstate', check);
  window.addEventListener('hashchange', check);
}

/**
 * Fires when the page's URL changes without a page load: history.pushState/replaceState, the back
 * and forward buttons (popstate) and hash changes. A call leaving the URL as it was does not fire.
 */
module.exports = function (settings, trigger) {
  if (!installed) {
    install();
  }
  triggers.push(trigger);
};
