'use strict';

var document = require('@adobe/reactor-document');
var elementMatches = require('./elementMatches.js');

// One capturing listener per DOM event type; each holds the rules registered for that type.
var registries = {};

function ancestry(target) {
  var path = [];
  for (var node = target; node && node.nodeType === 1; node = node.parentNode) {
    path.push(node);
  }
  // An event dispatched on the document or window itself: only rules for any element see it.
  return path.length ? path : [target];
}

function anyElement(settings) {
  return !settings.elementSelector && !(settings.elementProperties || []).length;
}

function offer(entry, node, nativeEvent, firedBelow) {
  var settings = entry.settings;
  if (node !== nativeEvent.target && settings.bubbleFireIfParent === false) {
    return false;
  }
  if (firedBelow && settings.bubbleFireIfChildFired === false) {
    return false;
  }
  if (!(anyElement(settings) || elementMatches(node, settings)) || (entry.accept && !entry.accept(node, nativeEvent))) {
    return false;
  }
  entry.trigger({ element: node, target: nativeEvent.target, nativeEvent: nativeEvent });
  return true;
}

/**
 * Walks from the event's target up to the root as the event bubbles, offering the event to each
 * rule whose element matches, with Adobe's bubbling options: `bubbleFireIfParent` (default true:
 * a rule also fires when the event comes from a descendant of its element), `bubbleFireIfChildFired`
 * (default true: it fires even if a rule on a descendant already did), `bubbleStop` (once such a rule
 * fired, rules on ancestors do not). Without `elementSelector`/`elementProperties`, a rule fires once,
 * for the event's target.
 */
function dispatch(entries, nativeEvent) {
  var path = ancestry(nativeEvent.target);
  var firedBelow = false;
  var stopped = false;
  for (var i = 0; i < path.length && !stopped; i++) {
    var firedHere = false;
    for (var j = 0; j < entries.length; j++) {
      var entry = entries[j];
      if ((anyElement(entry.settings) && i > 0) || !offer(entry, path[i], nativeEvent, firedBelow)) {
        continue;
      }
      firedHere = true;
      stopped = stopped || entry.settings.bubbleStop === true;
    }
    firedBelow = firedBelow || firedHere;
  }
}

/**
 * Registers a rule for a DOM event type. `accept(element, nativeEvent)` optionally narrows which
 * events count (the change event's value, hover's entry).
 */
module.exports = function (type, settings, trigger, accept) {
  if (!Object.prototype.hasOwnProperty.call(registries, type)) {
    var entries = (registries[type] = []);
    document.addEventListener(type, function (nativeEvent) {
      dispatch(entries, nativeEvent);
    }, true);
  }
  registries[type].push({ settings: settings, trigger: trigger, accept: accept });
};
