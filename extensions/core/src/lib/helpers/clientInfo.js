'use strict';

var window = require('@adobe/reactor-window');

/**
 * Browser, operating system and device type of the visitor, read from the user agent, with the
 * names the core extension's Browser, Operating System and Device Type conditions use.
 */
function firstMatch(ua, table) {
  for (var i = 0; i < table.length; i++) {
    if (table[i][1].test(ua)) {
      return table[i][0];
    }
  }
  return 'Unknown';
}

// Order matters: Edge and Opera claim to be Chrome, Chrome claims to be Safari.
var BROWSERS = [
  ['IE Mobile', /IEMobile/],
  ['Opera Mini', /Opera Mini/],
  ['Opera Mobile', /Opera Mobi|OPR\/.*Mobile/],
  ['Opera', /Opera|OPR\//],
  ['Edge', /Edge\//],
  ['Edge Chromium', /Edg(A|iOS)?\//],
  ['IE', /MSIE|Trident\//],
  ['OmniWeb', /OmniWeb/],
  ['Firefox', /Firefox\/|FxiOS\//],
  ['Chrome', /Chrome\/|CriOS\//],
  ['Mobile Safari', /(iPhone|iPad|iPod).*Mobile.*Safari|Mobile.*Safari.*(iPhone|iPad|iPod)/],
  ['Safari', /Safari\//]
];

var OPERATING_SYSTEMS = [
  ['Windows', /Windows/],
  ['iOS', /iPhone|iPad|iPod/],
  ['Android', /Android/],
  ['BlackBerry', /BlackBerry|BB10|RIM Tablet/],
  ['Symbian OS', /Symbian|SymbOS|Series60/],
  ['Maemo', /Maemo/],
  ['MacOS', /Macintosh|Mac OS X/],
  ['Linux', /Linux|CrOS/],
  ['Unix', /X11|BSD|SunOS/]
];

var DEVICE_TYPES = [
  ['Windows Phone', /Windows Phone/],
  ['iPad', /iPad/],
  ['iPhone', /iPhone/],
  ['iPod', /iPod/],
  ['Android', /Android/],
  ['Blackberry', /BlackBerry|BB10/],
  ['Nokia', /Nokia|Symbian/]
];

function userAgent() {
  return (window.navigator && window.navigator.userAgent) || '';
}

module.exports = {
  getBrowser: function () {
    return firstMatch(userAgent(), BROWSERS);
  },
  getOperatingSystem: function () {
    return firstMatch(userAgent(), OPERATING_SYSTEMS);
  },
  getDeviceType: function () {
    var device = firstMatch(userAgent(), DEVICE_TYPES);
    return device === 'Unknown' ? 'Desktop' : device;
  },
  /** True when `name` is in `list`, compared case-insensitively. */
  isOneOf: function (name, list) {
    var lower = String(name).toLowerCase();
    for (var i = 0; i < (list || []).length; i++) {
      if (String(list[i]).toLowerCase() === lower) {
        return true;
      }
    }
    return false;
  }
};
