'use strict';

var document = require('@adobe/reactor-document');
var Promise = require('@adobe/reactor-promise');

function insertHtml(html) {
  var container = document.createElement('div');
  container.style.display = 'none';
  (document.body || document.documentElement).appendChild(container);
  // A contextual fragment executes the <script> elements it contains, unlike innerHTML.
  var range = document.createRange();
  range.selectNodeContents(container);
  container.appendChild(range.createContextualFragment(html));
}

/**
 * Runs custom code. JavaScript arrives as a function (customCode transform); its return value may
 * be a promise, which Turbine waits for when rule component sequencing is on. HTML is inserted into
 * the page with its scripts executed.
 */
module.exports = function (settings, event) {
  if (settings.language === 'html') {
    insertHtml(String(settings.source));
    return undefined;
  }
  var element = event && event.element;
  return Promise.resolve(settings.source.call(element, event, event && event.target, Promise));
};
