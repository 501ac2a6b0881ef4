'use strict';

var window = require('@adobe/reactor-window');

function zoomLevel() {
  var viewport = window.visualViewport;
  return (viewport ? viewport.scale : 1) * (window.devicePixelRatio || 1);
}

/**
 * Fires when the visitor zooms in or out: pinch zoom (the visual viewport's scale) or browser zoom
 * (the device pixel ratio). `event.zoom` is the new level relative to 1.
 */
module.exports = function (settings, trigger) {
  var last = zoomLevel();
  var check = function () {
    var current = zoomLevel();
    if (current !== last) {
      last = current;
      trigger({ zoom: current });
    }
  };
  if (window.visualViewport) {
    window.visualViewport.addEventListener('resize', check);
  }
  window.addEventListener('resize', check);
};
