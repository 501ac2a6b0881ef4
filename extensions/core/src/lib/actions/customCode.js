'use strict';

var document = require('@adobe/reactor-document');
var Promise = require('@adobe/reactor-promise');

function container() {
  var div = document.createElement('div');
  div.style.display = 'none';
  (document.body || document.documentElement).appendChild(div);
  return div;
}

function insertHtml(html) {
  var target = container();
  // A contextual fragment executes the <script> elements it contains, unlike innerHTML.
  var range = document.createRange();
  range.selectNodeContents(target);
  target.appendChild(range.createContextualFragment(html));
}

function runGlobally(source) {
  var script = document.createElement('script');
  script.text = source;
  container().appendChild(script);
}

/**
 * Runs custom code. JavaScript arrives as a function (customCode transform) called with `this` =
 * the event's element; its return value may be a promise, which Turbine waits for when rule
 * component sequencing is on. With `global: true` the JavaScript stays text and runs as a page
 * script in the global scope (its top-level `var`s and functions become globals). HTML is inserted
 * into the page with its scripts executed.
 */
module.exports = function (settings, event) {
  if (settings.language === 'html') {
    insertHtml(String(settings.source));
    return undefined;
  }
  if (settings.global === true) {
    runGlobally(String(settings.source));
    return undefined;
  }
  var element = event && event.element;
  return Promise.resolve(settings.source.call(element, event, event && event.target, Promise));
};
