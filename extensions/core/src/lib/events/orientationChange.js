'use strict';

var window = require('@adobe/reactor-window');

function orientation() {
  var type = window.screen && window.screen.orientation && window.screen.orientation.type;
  if (type) {
    return type.indexOf('portrait') === 0 ? 'portrait' : 'landscape';
  }
  return window.innerHeight >= window.innerWidth ? 'portrait' : 'landscape';
}

/**
 * Fires when the device's orientation changes (the window's orientationchange event, or the screen
 * orientation's change event where that is what the browser has); `event.orientation` is
 * "portrait" or "landscape".
 */
module.exports = function (settings, trigger) {
  var fire = function () {
    trigger({ orientation: orientation() });
  };
  if ('onorientationchange' in window) {
    window.addEventListener('orientationchange', fire);
  } else if (window.screen && window.screen.orientation) {
    window.screen.orientation.addEventListener('change', fire);
  }
};
