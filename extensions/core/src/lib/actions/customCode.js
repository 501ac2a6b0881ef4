'use strict';

var document = require('@adobe/reactor-document');
var Promise = require('@adobe/reactor-promise');

/* global turbine */

/** The extension configuration's `cspNonce` (a data element token, resolved by Turbine), if any. */
function cspNonce() {
  var config = typeof turbine !== 'undefined' && turbine.getExtensionSettings ? turbine.getExtensionSettings() : null;
  return config && config.cspNonce ? String(config.cspNonce) : '';
}

function withNonce(scripts) {
  var nonce = cspNonce();
  for (var i = 0; nonce && i < scripts.length; i++) {
    scripts[i].setAttribute('nonce', nonce);
  }
}

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
  var fragment = range.createContextualFragment(html);
  withNonce(fragment.querySelectorAll('script'));
  target.appendChild(fragment);
}

function runGlobally(source) {
  var script = document.createElement('script');
  script.text = source;
  withNonce([script]);
  container().appendChild(script);
}

/**
 * Runs custom code. JavaScript arrives as a function (customCode transform) called with `this` =
 * the event's element; its return value may be a promise, which Turbine waits for when rule
 * component sequencing is on. With `global: true` the JavaScript stays text and runs as a page
 * script in the global scope (its top-level `var`s and functions become globals). HTML is inserted
 * into the page with its scripts executed. The scripts the action adds carry the extension
 * configuration's `cspNonce` when one is set, so a Content-Security-Policy with that nonce lets them run.
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
