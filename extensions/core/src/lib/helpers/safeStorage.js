'use strict';

var window = require('@adobe/reactor-window');

var memory = { localStorage: {}, sessionStorage: {} };

/**
 * Reads and writes `localStorage` / `sessionStorage` without throwing: when the browser refuses
 * storage (privacy modes, sandboxed frames) the values live in memory for the page's lifetime.
 */
function storage(kind) {
  try {
    var store = window[kind];
    var probe = '__openexp_probe__';
    store.setItem(probe, probe);
    store.removeItem(probe);
    return store;
  } catch (e) {
    return null;
  }
}

function getItem(kind, key) {
  var store = storage(kind);
  if (store) {
    return store.getItem(key);
  }
  return Object.prototype.hasOwnProperty.call(memory[kind], key) ? memory[kind][key] : null;
}

function setItem(kind, key, value) {
  var store = storage(kind);
  if (store) {
    try {
      store.setItem(key, String(value));
      return;
    } catch (e) {
      // Quota exceeded: fall through to memory.
    }
  }
  memory[kind][key] = String(value);
}

module.exports = {
  getLocal: function (key) {
    return getItem('localStorage', key);
  },
  setLocal: function (key, value) {
    setItem('localStorage', key, value);
  },
  getSession: function (key) {
    return getItem('sessionStorage', key);
  },
  setSession: function (key, value) {
    setItem('sessionStorage', key, value);
  }
};
