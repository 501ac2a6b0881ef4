'use strict';

var window = require('@adobe/reactor-window');
var document = require('@adobe/reactor-document');
var elementMatches = require('./elementMatches.js');

var watchers = [];
var observer = null;
var pending = false;

function scan() {
  pending = false;
  for (var i = 0; i < watchers.length; i++) {
    var watcher = watchers[i];
    var candidates = document.querySelectorAll(watcher.settings.elementSelector);
    for (var j = 0; j < candidates.length; j++) {
      var element = candidates[j];
      if (watcher.seen.indexOf(element) === -1 && elementMatches(element, watcher.settings)) {
        watcher.seen.push(element);
        watcher.onElement(element);
      }
    }
  }
}

function scheduleScan() {
  if (!pending) {
    pending = true;
    setTimeout(scan, 0);
  }
}

/**
 * Calls `onElement(element)` once for every element matching `settings` (elementSelector and
 * elementProperties) that is in the document now or added (or changed to match) later.
 */
module.exports = function (settings, onElement) {
  watchers.push({ settings: settings, onElement: onElement, seen: [] });
  if (!observer && window.MutationObserver) {
    observer = new window.MutationObserver(scheduleScan);
    observer.observe(document.documentElement, { childList: true, subtree: true, attributes: true, characterData: true });
  }
  scheduleScan();
};
