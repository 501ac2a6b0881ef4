/**
 * JavaScript placed at the top of every edge library's container function (ES5, no dependencies),
 * where `getDataElementValues` is turbine-edge's argument:
 *
 * - `settings(template, names)` makes a delegate's `getSettings(context)`: it asks turbine-edge
 *   for the values of the data elements the template references (`names`, found at build time)
 *   and returns a copy of the template with each reference replaced. A string that is exactly one
 *   `{{name}}` becomes the data element's value with its type (a number stays a number, as Adobe's
 *   value comparison expects); a reference inside longer text becomes its text (`''` for null or
 *   undefined). Functions (from `function` transforms) are passed through.
 * - `link(files)` returns `load(path)`, a CommonJS loader over the package files in the library:
 *   each file's relative `require`s were resolved at build time (`files[path].requires`), so a
 *   module can require only files that are in the library.
 */
export const EDGE_RUNTIME = `  var TOKEN = /\\{\\{([^{}]+)\\}\\}/g;
  var WHOLE = /^\\{\\{([^{}]+)\\}\\}$/;
  function substitute(value, get) {
    if (typeof value === 'string') {
      var whole = WHOLE.exec(value);
      if (whole) {
        return get(whole[1]);
      }
      return value.replace(TOKEN, function (match, name) {
        var resolved = get(name);
        return resolved === undefined || resolved === null ? '' : String(resolved);
      });
    }
    if (Array.isArray(value)) {
      return value.map(function (item) { return substitute(item, get); });
    }
    if (value !== null && typeof value === 'object') {
      var copy = {};
      Object.keys(value).forEach(function (key) { copy[key] = substitute(value[key], get); });
      return copy;
    }
    return value;
  }
  function settings(template, names) {
    return function (context) {
      if (names.length === 0) {
        return Promise.resolve(substitute(template, function () { return undefined; }));
      }
      return getDataElementValues(names, context).then(function (get) { return substitute(template, get); });
    };
  }
  function link(files) {
    var cache = {};
    function load(path) {
      if (cache[path]) {
        return cache[path].exports;
      }
      var file = files[path];
      if (!file) {
        throw new Error('Module "' + path + '" is not part of this library.');
      }
      var module = { exports: {} };
      cache[path] = module;
      file.factory.call(module.exports, module, module.exports, function (request) {
        var target = file.requires[request];
        if (target === undefined) {
          throw new Error(path + ' requires "' + request + '", which is not part of this library.');
        }
        return load(target);
      });
      return module.exports;
    }
    return load;
  }
`;
