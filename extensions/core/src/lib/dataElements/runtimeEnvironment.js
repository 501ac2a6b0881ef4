'use strict';

/* global turbine */

/**
 * A fact about the running library: `buildDate`, `environmentStage`, `propertyName`, `propertyId`,
 * or about the rule being processed: `ruleName`, `ruleId`, `eventType` (`<extension>.<event type>`),
 * `eventDetail` (the event's `detail`), `DCRIdentifier` (the identifier of a direct call event).
 * Undefined without an attribute, outside a rule for the rule ones, and for an unknown attribute.
 */
module.exports = function (settings, event) {
  var rule = (event && event.$rule) || {};
  switch (settings.attribute) {
    case 'buildDate':
      return turbine.buildInfo.buildDate;
    case 'environmentStage':
      return turbine.environment.stage;
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
    case 'DCRIdentifier':
      return event && event.identifier;
    default:
      return undefined;
  }
};
