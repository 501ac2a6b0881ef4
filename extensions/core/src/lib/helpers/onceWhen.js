'use strict';

/**
 * A one-shot signal: `register(fn)` calls fn when the signal fires, or at once if it already has.
 * Used by the page lifecycle events (page bottom, DOM ready, window loaded).
 */
module.exports = function () {
  var fired = false;
  var listeners = [];
  return {
    register: function (fn) {
      if (fired) {
        fn();
      } else {
        listeners.push(fn);
      }
    },
    fire: function () {
      if (fired) {
        return;
      }
      fired = true;
      var pending = listeners;
      listeners = [];
      for (var i = 0; i < pending.length; i++) {
        pending[i]();
      }
    }
  };
};
