'use strict';

/** Value returned by the user's code (a function after the customCode transform). */
module.exports = function (settings, event) {
  return settings.source.call(event && event.element, event);
};
