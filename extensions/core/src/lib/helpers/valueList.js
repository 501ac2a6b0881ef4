'use strict';

/**
 * The values a URL or data condition accepts, as `[{ value, valueIsRegex }]`. Adobe's core writes them
 * either as a list (`listKey`, e.g. `cookieValues: [{ value, valueIsRegex? }]`, any one matching) or,
 * in settings saved by older versions, as one `singleKey` (`value`) with its `flagKey` (`valueIsRegex`).
 * In a list entry the regex flag is named `flagKey` as well (`pageIsRegex` for landing pages).
 */
module.exports = function (settings, listKey, singleKey, flagKey) {
  var list = settings[listKey];
  if (Array.isArray(list)) {
    return list.map(function (entry) {
      return { value: entry && entry.value, valueIsRegex: Boolean(entry && entry[flagKey]) };
    });
  }
  return settings[singleKey] === undefined ? [] : [{ value: settings[singleKey], valueIsRegex: Boolean(settings[flagKey]) }];
};
