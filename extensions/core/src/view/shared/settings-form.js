/*
 * Shared settings form of the core extension's views (OpenExp).
 *
 * A view names its delegate and includes this script:
 *   <form id="settings"></form>
 *   <script src="../shared/settings-form.js" data-delegate="events/click"></script>
 *
 * The form is rendered from the delegate's settings schema: the `schema` the extension bridge passes
 * to init when it does, otherwise the one in the package's extension.json (three folders up from the
 * view). Booleans are checkboxes, enums selects, strings and numbers inputs, arrays and objects JSON
 * text. It registers { init, getSettings, validate } with Launch's extension bridge when the page has
 * one, and exposes them as window.coreSettingsForm.
 */
(function () {
  'use strict';

  var script = document.currentScript;
  var delegate = (script && script.getAttribute('data-delegate')) || '';
  var KIND = delegate.split('/')[0];
  var NAME = delegate.split('/')[1];
  var state = { schema: null, fields: {} };

  function loadSchema(info) {
    if (info && info.schema) {
      return Promise.resolve(info.schema);
    }
    var manifestUrl = new URL('../../../extension.json', document.baseURI).href;
    return fetch(manifestUrl)
      .then(function (res) { return res.json(); })
      .then(function (manifest) {
        if (KIND === 'configuration') {
          return (manifest.configuration && manifest.configuration.schema) || { type: 'object', properties: {} };
        }
        var list = manifest[KIND] || [];
        for (var i = 0; i < list.length; i++) {
          if (list[i].name === NAME) {
            return list[i].schema;
          }
        }
        return { type: 'object', properties: {} };
      });
  }

  /** Properties of a schema, merging the branches of a top-level oneOf/anyOf (custom code's languages). */
  function propertiesOf(schema) {
    var props = {};
    var parts = [schema].concat(schema.oneOf || [], schema.anyOf || []);
    parts.forEach(function (part) {
      Object.keys(part.properties || {}).forEach(function (key) {
        var prop = part.properties[key];
        if (props[key] && props[key].enum && prop.enum) {
          props[key] = { enum: props[key].enum.concat(prop.enum) };
        } else if (props[key] && props[key] !== prop) {
          props[key] = { oneOf: [props[key], prop] };
        } else {
          props[key] = prop;
        }
      });
    });
    return props;
  }

  /** The JSON types a property may take: its `type`, or those of its oneOf/anyOf branches. */
  function typesOf(prop) {
    if (prop.type) {
      return [].concat(prop.type);
    }
    return (prop.oneOf || prop.anyOf || []).reduce(function (all, part) {
      return all.concat(typesOf(part));
    }, []);
  }

  /** The property's one JSON type, when all its alternatives agree on it. */
  function soleType(prop) {
    var types = typesOf(prop);
    return types.length > 0 && types.every(function (type) { return type === types[0]; }) ? types[0] : undefined;
  }

  function inputFor(key, prop, value) {
    var input;
    if (prop.enum) {
      input = document.createElement('select');
      [''].concat(prop.enum).forEach(function (option) {
        var el = document.createElement('option');
        el.value = option === '' ? '' : JSON.stringify(option);
        el.textContent = option === '' ? '(none)' : String(option);
        input.appendChild(el);
      });
      input.value = value === undefined ? '' : JSON.stringify(value);
    } else if (soleType(prop) === 'boolean') {
      input = document.createElement('input');
      input.type = 'checkbox';
      input.checked = value === true;
      // Settings saved with an explicit false keep it when the box stays unchecked.
      input.setAttribute('data-was-false', String(value === false));
    } else if (soleType(prop) === 'array' || soleType(prop) === 'object') {
      input = document.createElement('textarea');
      input.rows = 4;
      input.value = value === undefined ? '' : JSON.stringify(value, null, 2);
    } else {
      input = document.createElement(key === 'source' ? 'textarea' : 'input');
      input.value = value === undefined ? '' : String(value);
    }
    input.name = key;
    return input;
  }

  function render(schema, settings) {
    var form = document.getElementById('settings') || document.body.appendChild(document.createElement('form'));
    form.textContent = '';
    state.schema = schema;
    state.fields = {};
    var props = propertiesOf(schema);
    Object.keys(props).forEach(function (key) {
      var label = document.createElement('label');
      label.textContent = key + ' ';
      var input = inputFor(key, props[key], settings[key]);
      state.fields[key] = { input: input, prop: props[key] };
      label.appendChild(input);
      var row = document.createElement('p');
      row.appendChild(label);
      form.appendChild(row);
    });
  }

  function isRequired(key) {
    return ((state.schema && state.schema.required) || []).indexOf(key) !== -1;
  }

  /** One field's value; `how.text` keeps numeric text as text, `how.empty` keeps an empty input as ''. */
  function readField(field, how) {
    var input = field.input;
    var prop = field.prop;
    if (prop.enum) {
      return input.value === '' ? undefined : JSON.parse(input.value);
    }
    if (soleType(prop) === 'boolean') {
      // A required boolean left unchecked is false (New/Returning Visitor stores isNewVisitor: false).
      return input.checked ? true : isRequired(input.name) || input.getAttribute('data-was-false') === 'true' ? false : undefined;
    }
    if (input.value === '') {
      return how.empty && typesOf(prop).indexOf('string') !== -1 ? '' : undefined;
    }
    if (soleType(prop) === 'array' || soleType(prop) === 'object') {
      return JSON.parse(input.value);
    }
    var types = typesOf(prop);
    var numeric = types.indexOf('number') !== -1 || types.indexOf('integer') !== -1;
    // A number, or (Adobe's number-or-token settings: delays, amounts, operands) the text when it is not one.
    var text = types.indexOf('string') !== -1;
    if (numeric && (!text || (!how.text && input.value.trim() !== '' && !isNaN(Number(input.value))))) {
      return Number(input.value);
    }
    return input.value;
  }

  function readSettings(how) {
    var settings = {};
    Object.keys(state.fields).forEach(function (key) {
      var value = readField(state.fields[key], how);
      if (value !== undefined) {
        settings[key] = value;
      }
    });
    return settings;
  }

  /**
   * The form's settings. Numeric text in a number-or-text field is a number and an empty input is left
   * out, unless only the text (a value comparison's "10" with contains) or the empty string (equals "")
   * is what the schema accepts.
   */
  function getSettings() {
    var readings = [{}, { text: true }, { empty: true }, { text: true, empty: true }].map(readSettings);
    for (var i = 0; i < readings.length; i++) {
      if (matches(state.schema || {}, readings[i])) {
        return readings[i];
      }
    }
    return readings[0];
  }

  function typeMatches(type, value) {
    switch (type) {
      case 'integer':
        return typeof value === 'number' && Math.floor(value) === value;
      case 'number':
        return typeof value === 'number' && isFinite(value);
      case 'array':
        return Array.isArray(value);
      case 'object':
        return typeof value === 'object' && value !== null && !Array.isArray(value);
      default:
        return typeof value === type;
    }
  }

  function scalarMatches(schema, value) {
    if (schema.type && ![].concat(schema.type).some(function (type) { return typeMatches(type, value); })) {
      return false;
    }
    if (schema.enum && schema.enum.indexOf(value) === -1) {
      return false;
    }
    if (typeof value === 'string') {
      return (schema.minLength === undefined || value.length >= schema.minLength) && (!schema.pattern || new RegExp(schema.pattern).test(value));
    }
    if (typeof value === 'number') {
      return (schema.minimum === undefined || value >= schema.minimum) && (schema.maximum === undefined || value <= schema.maximum);
    }
    return true;
  }

  function objectMatches(schema, value) {
    var props = schema.properties || {};
    var keys = Object.keys(value);
    return (schema.required || []).every(function (key) { return value[key] !== undefined; }) &&
      keys.every(function (key) {
        return props[key] ? matches(props[key], value[key]) : schema.additionalProperties !== false;
      });
  }

  /**
   * Whether `value` satisfies `schema`, for the keywords core's schemas use: type, enum, pattern,
   * minLength, minimum, maximum, items, minItems, properties, required, additionalProperties: false,
   * oneOf (exactly one branch) and anyOf. The view only hands back settings the Reactor API accepts.
   */
  function matches(schema, value) {
    if (!scalarMatches(schema, value)) {
      return false;
    }
    if (Array.isArray(value) && ((schema.minItems !== undefined && value.length < schema.minItems) ||
        (schema.items && !value.every(function (item) { return matches(schema.items, item); })))) {
      return false;
    }
    if (typeMatches('object', value) && (schema.properties || schema.required) && !objectMatches(schema, value)) {
      return false;
    }
    if (schema.oneOf && schema.oneOf.filter(function (part) { return matches(part, value); }).length !== 1) {
      return false;
    }
    return !schema.anyOf || schema.anyOf.some(function (part) { return matches(part, value); });
  }

  function validate() {
    try {
      return matches(state.schema || {}, getSettings());
    } catch (e) {
      return false;
    }
  }

  function init(info) {
    return loadSchema(info).then(function (schema) {
      render(schema, (info && info.settings) || {});
    });
  }

  // The host page (Launch's UI or ours) provides the extension bridge; without one the form is
  // still reachable as window.coreSettingsForm.
  var api = { init: init, getSettings: getSettings, validate: validate };
  window.coreSettingsForm = api;
  if (window.extensionBridge) {
    window.extensionBridge.register(api);
  }
})();
