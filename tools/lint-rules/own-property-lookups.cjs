'use strict';
// Workspace rule `local/own-property-lookups` (issue 14, item 3): allowlists and tables must be
// looked up by own property only. A plain object inherits `constructor`, `__proto__`, `toString`,
// `hasOwnProperty` … from Object.prototype, so `name in TABLE` is true and `TABLE[name]` is a value
// for those names: `sort=__proto__` passed the sort allowlist and reached SQL as a column (a 500).
//
// Reported:
// 1. `key in object` whose key is not a literal: use `Object.hasOwn(object, key)`, or a Map/Set.
//    (A literal key such as `'id' in body` cannot be an inherited name by accident; `#x in o` is exact.)
// 2. With type information (the workspace lint has it): `TABLE[key]` where TABLE is a table — a
//    module-level `const` initialised with an object literal (also under `as`, `satisfies` or
//    `Object.freeze`) — with a string index signature (`Record<string, T>`, `{ [k: string]: T }`),
//    and `key` is typed `string` (any string, not a union of literals the compiler already checks),
//    unless the lookup sits under `Object.hasOwn(TABLE, key)` (the consequent of an `if`/`?:`, the
//    right side of `&&`, or the right side of `||` after `!Object.hasOwn(TABLE, key)`). Dictionaries built at run time are outside this rule: they are not
//    allowlists, and their keys are the program's own.

/** @param {import('estree').Node | undefined} node */
function isLiteralKey(node) {
  return node !== undefined && (node.type === 'Literal' || (node.type === 'TemplateLiteral' && node.expressions.length === 0));
}

/** Whether `node` is `Object.hasOwn(objectText, keyText)` (by source text). */
function isHasOwnCall(sourceCode, node, objectText, keyText) {
  return (
    node.type === 'CallExpression' &&
    node.callee.type === 'MemberExpression' &&
    !node.callee.computed &&
    node.callee.object.type === 'Identifier' &&
    node.callee.object.name === 'Object' &&
    node.callee.property.name === 'hasOwn' &&
    node.arguments.length === 2 &&
    sourceCode.getText(node.arguments[0]) === objectText &&
    sourceCode.getText(node.arguments[1]) === keyText
  );
}

/** Whether `test` holds (as itself or as a conjunct) a matching Object.hasOwn call. */
function guards(sourceCode, test, objectText, keyText) {
  if (test.type === 'LogicalExpression' && test.operator === '&&') {
    return guards(sourceCode, test.left, objectText, keyText) || guards(sourceCode, test.right, objectText, keyText);
  }
  return isHasOwnCall(sourceCode, test, objectText, keyText);
}

function isGuarded(sourceCode, node, objectText, keyText) {
  let child = node;
  for (let parent = node.parent; parent !== undefined && parent !== null; child = parent, parent = parent.parent) {
    if ((parent.type === 'IfStatement' || parent.type === 'ConditionalExpression') && parent.consequent === child && guards(sourceCode, parent.test, objectText, keyText)) {
      return true;
    }
    if (parent.type === 'LogicalExpression' && parent.operator === '&&' && parent.right === child && guards(sourceCode, parent.left, objectText, keyText)) {
      return true;
    }
    // `!Object.hasOwn(TABLE, key) || TABLE[key] …`: the right side runs only for an own key.
    const left = parent.type === 'LogicalExpression' && parent.operator === '||' && parent.right === child ? parent.left : undefined;
    if (left?.type === 'UnaryExpression' && left.operator === '!' && isHasOwnCall(sourceCode, left.argument, objectText, keyText)) {
      return true;
    }
    if (parent.type.startsWith('Function') || parent.type === 'ArrowFunctionExpression') {
      return false;
    }
  }
  return false;
}

/** @type {import('eslint').Rule.RuleModule} */
module.exports = {
  meta: {
    type: 'problem',
    docs: { description: 'Look up allowlists and tables by own property only (Object.hasOwn or a Map), never with `in` or a bare `[key]`.' },
    schema: [],
    messages: {
      in: '`{{key}} in {{object}}` is also true for inherited names (constructor, __proto__, toString …). Use Object.hasOwn({{object}}, {{key}}), or a Map/Set.',
      index:
        '`{{object}}[{{key}}]` with a string key also finds inherited names (constructor, __proto__, toString …). Check Object.hasOwn({{object}}, {{key}}) first, or use a Map.',
    },
  },
  create(context) {
    const sourceCode = context.sourceCode;
    const services = sourceCode.parserServices;
    const typed = services !== undefined && services.program !== undefined && services.program !== null && typeof services.esTreeNodeToTSNodeMap === 'object';
    let ts;
    let checker;
    if (typed) {
      ts = require('typescript');
      checker = services.program.getTypeChecker();
    }

    const typeOf = (node) => checker.getTypeAtLocation(services.esTreeNodeToTSNodeMap.get(node));

    /** `string`, or a union with a `string` member: any string can arrive. */
    const isAnyString = (type) => {
      if (type.isUnion()) {
        return type.types.some(isAnyString);
      }
      return (type.flags & ts.TypeFlags.String) !== 0 || (type.flags & ts.TypeFlags.TemplateLiteral) !== 0;
    };

    /** A plain object looked up by string: has a string index signature and is not an array-like. */
    const isStringIndexed = (type) => {
      const apparent = checker.getApparentType(type);
      if (apparent.isUnion()) {
        return apparent.types.some(isStringIndexed);
      }
      if (checker.isArrayType(apparent) || checker.isTupleType(apparent) || (apparent.flags & ts.TypeFlags.StringLike) !== 0) {
        return false;
      }
      return checker.getIndexInfosOfType(apparent).some((info) => (info.keyType.flags & ts.TypeFlags.String) !== 0);
    };

    /**
     * Whether `node` names a module-level `const` initialised with an object literal, in this file
     * or imported (followed through the import to its declaration).
     */
    const isTable = (node) => {
      if (node.type !== 'Identifier') {
        return false;
      }
      let symbol = checker.getSymbolAtLocation(services.esTreeNodeToTSNodeMap.get(node));
      if (symbol !== undefined && (symbol.flags & ts.SymbolFlags.Alias) !== 0) {
        symbol = checker.getAliasedSymbol(symbol);
      }
      const declaration = symbol?.valueDeclaration;
      if (declaration === undefined || !ts.isVariableDeclaration(declaration)) {
        return false;
      }
      const list = declaration.parent;
      if (!ts.isVariableDeclarationList(list) || (list.flags & ts.NodeFlags.Const) === 0 || !ts.isSourceFile(list.parent.parent)) {
        return false;
      }
      let init = declaration.initializer;
      while (init !== undefined && (ts.isAsExpression(init) || ts.isSatisfiesExpression(init) || ts.isTypeAssertionExpression(init) || ts.isParenthesizedExpression(init) || isFreezeCall(init))) {
        init = ts.isCallExpression(init) ? init.arguments[0] : init.expression;
      }
      return init !== undefined && ts.isObjectLiteralExpression(init);
    };

    /** `Object.freeze(x)` in the TypeScript AST. */
    const isFreezeCall = (init) =>
      ts.isCallExpression(init) &&
      init.arguments.length === 1 &&
      ts.isPropertyAccessExpression(init.expression) &&
      ts.isIdentifier(init.expression.expression) &&
      init.expression.expression.text === 'Object' &&
      init.expression.name.text === 'freeze';

    return {
      BinaryExpression(node) {
        if (node.operator !== 'in' || isLiteralKey(node.left) || node.left.type === 'PrivateIdentifier') {
          return;
        }
        context.report({ node, messageId: 'in', data: { key: sourceCode.getText(node.left), object: sourceCode.getText(node.right) } });
      },
      MemberExpression(node) {
        if (!typed || !node.computed || isLiteralKey(node.property) || !isTable(node.object)) {
          return;
        }
        if (!isAnyString(typeOf(node.property)) || !isStringIndexed(typeOf(node.object))) {
          return;
        }
        const objectText = sourceCode.getText(node.object);
        const keyText = sourceCode.getText(node.property);
        if (isGuarded(sourceCode, node, objectText, keyText)) {
          return;
        }
        context.report({ node, messageId: 'index', data: { key: keyText, object: objectText } });
      },
    };
  },
};
