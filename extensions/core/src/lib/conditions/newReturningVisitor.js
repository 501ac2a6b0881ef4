'use strict';

var visitorTracking = require('../helpers/visitorTracking.js');

/** `isNewVisitor: true` passes in the visitor's first session, `false` in any later one. */
module.exports = function (settings) {
  return visitorTracking.getIsNewVisitor() === Boolean(settings.isNewVisitor);
};
