'use strict';

/* global turbine */

/**
 * A fact about the running library: `buildDate`, `environmentStage`, `libraryName` (undefined: the
 * container carries no library name), `propertyName`, `propertyId`, `turbineBuildDate`,
 * `turbineVersion`, or about the rule being processed: `ruleName`, `ruleId`, `eventType`
 * (`<extension>.<event type>`), `eventDetail` (the event's `detail`).
 */
module.exports = function (settings, event) {
  var rule = (event && event.$rule) || {};
  switch (settings.attribute) {
    case 'buildDate':
      return turbine.buildInfo.buildDate;
    case 'turbineBuildDate':
      return turbine.buildInfo.turbineBuildDate;
    case 'turbineVersion':
      return turbine.buildInfo.turbineVersion;
    case 'environmentStage':
      return turbine.environment.stage;
    case 'libraryName':
      return turbine.buildInfo.libraryName;
    case 'propertyName':
      return turbine.property.name;
    case 'propertyId':
      return turbine.property.id;
    case 'ruleName':
      return rule.name;
    case 'ruleId':
      return rule.id;
    case 'eventType':
      return event && event.$type;
    case 'eventDetail':
      return event && event.detail;
    default:
      return undefined;
  }
};
