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
        } else {
          props[key] = prop;
        }
      });
    });
    return props;
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
    } else if (prop.type === 'boolean') {
      input = document.createElement('input');
      input.type = 'checkbox';
      input.checked = value === true;
    } else if (prop.type === 'array' || prop.type === 'object') {
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

  function readField(field) {
    var input = field.input;
    var prop = field.prop;
    if (prop.enum) {
      return input.value === '' ? undefined : JSON.parse(input.value);
    }
    if (prop.type === 'boolean') {
      // A required boolean left unchecked is false (New/Returning Visitor stores isNewVisitor: false).
      return input.checked ? true : isRequired(input.name) ? false : undefined;
    }
    if (input.value === '') {
      return undefined;
    }
    if (prop.type === 'array' || prop.type === 'object') {
      return JSON.parse(input.value);
    }
    if (prop.type === 'number' || prop.type === 'integer') {
      return Number(input.value);
    }
    return input.value;
  }

  function getSettings() {
    var settings = {};
    Object.keys(state.fields).forEach(function (key) {
      var value = readField(state.fields[key]);
      if (value !== undefined) {
        settings[key] = value;
      }
    });
    return settings;
  }

  function fieldError(key, prop, value) {
    if (value === undefined) {
      return null;
    }
    if ((prop.type === 'number' || prop.type === 'integer') && (typeof value !== 'number' || isNaN(value))) {
      return key + ' must be a number';
    }
    if (prop.minimum !== undefined && value < prop.minimum) {
      return key + ' must be at least ' + prop.minimum;
    }
    if (prop.type === 'array' && !Array.isArray(value)) {
      return key + ' must be a JSON array';
    }
    return null;
  }

  function validate() {
    var settings;
    try {
      settings = getSettings();
    } catch (e) {
      return false;
    }
    var schema = state.schema || {};
    var branches = schema.oneOf || schema.anyOf || [{}];
    var hasAll = function (part) {
      return (part.required || []).every(function (key) { return settings[key] !== undefined; });
    };
    if (!hasAll(schema) || !branches.some(hasAll)) {
      return false;
    }
    return Object.keys(state.fields).every(function (key) {
      return fieldError(key, state.fields[key].prop, settings[key]) === null;
    });
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
