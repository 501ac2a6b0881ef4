'use strict';

/** Fires as soon as the library has loaded: every trigger registered while the rules initialise. */
module.exports = function (settings, trigger) {
  trigger({});
};
