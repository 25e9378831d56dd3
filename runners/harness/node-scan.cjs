'use strict';
// Reciprocal's static look at JavaScript, with acorn (Debian's node-acorn, a full ECMAScript
// parser): run by harness.py as the runner user before any candidate code has run, it reads and
// never executes. Two jobs, one JSON line each on the harness's pipe (RECIPROCAL_CHANNEL_FD):
//
//   node node-scan.cjs <submission> <hidden>
//   node node-scan.cjs --warm <control fd>   (started before the job with acorn loaded; the
//                                            harness writes {"args": [submission, hidden]} on
//                                            the control pipe once the files are in place)
//
// * {"kind": "finding", file, line, detail, alters}: test-tool tampering in the submission's own
//   files (node_modules and .git skipped). `alters` is true for what has no honest use in an
//   assignment and only serves to change what the test tool reports, so the verdict cannot be
//   trusted: a reassigned or redefined node:assert or node:test member, a replaced
//   process.stdout/stderr writer (node --test's results travel over the test file's stdout),
//   the module loader patched, a process internal, reading the run's sentinel names from the
//   environment. The rest are warnings for a reviewer: process.exit or process.kill (a command
//   has honest reasons; an early exit shows as missing tests anyway), node:test or node:assert
//   loaded outside the tests (tests it registers are caught by the id check), a file the parser
//   cannot read.
// * {"kind": "tests", file, names} or {"kind": "dynamic", file, reason}: the top-level test
//   names of each hidden *.test.{js,mjs,cjs}, read from its syntax tree. A file whose tests are
//   not all plain calls with literal names (a loop, a computed name, the test function passed
//   around) is "dynamic": its ids are not compared, rather than compared wrongly.
const fs = require('node:fs');
const path = require('node:path');
const acorn = require('acorn');
const walk = require('acorn-walk');

const MAX_FILE_BYTES = 1_000_000;
const MAX_FILES = 5_000;
const MAX_FINDINGS = 40;
const SKIPPED = new Set(['node_modules', '.git']);
const SOURCE = /\.(?:js|mjs|cjs)$/;
const TEST_FILE = /\.test\.(?:js|mjs|cjs)$/;
const ASSERT_MODULES = new Set(['assert', 'node:assert', 'assert/strict', 'node:assert/strict']);
const TEST_MODULES = new Set(['node:test', 'test']);
const LOADER_MEMBERS = new Set(['_load', '_resolveFilename', '_cache', '_extensions',
  '_compile', 'wrap', 'wrapper', 'runMain']);
const PROCESS_INTERNALS = new Set(['reallyExit', '_rawDebug', 'binding', '_linkedBinding',
  'dlopen', 'abort']);
const REDEFINERS = new Set(['Object.defineProperty', 'Object.defineProperties', 'Object.assign',
  'Object.setPrototypeOf', 'Reflect.set', 'Reflect.defineProperty', 'Reflect.deleteProperty']);

const channel = Number(process.env.RECIPROCAL_CHANNEL_FD);
const send = (record) => {
  let data = Buffer.from(JSON.stringify(record) + '\n');
  while (data.length) data = data.subarray(fs.writeSync(channel, data));
};

function files(root, keep) {
  const found = [];
  const visit = (dir) => {
    let entries;
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      if (found.length >= MAX_FILES) return;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && !SKIPPED.has(entry.name)) visit(full);
      else if (entry.isFile() && keep(entry.name)) found.push(full);
    }
  };
  visit(root);
  return found;
}

function parse(text) {
  const options = { ecmaVersion: 'latest', locations: true, allowHashBang: true,
    allowAwaitOutsideFunction: true, allowReturnOutsideFunction: true,
    allowImportExportEverywhere: true };
  try {
    return acorn.parse(text, { ...options, sourceType: 'module' });
  } catch (moduleError) {
    try {
      return acorn.parse(text, { ...options, sourceType: 'script' });
    } catch {
      throw moduleError;
    }
  }
}

const dotted = (node) => {
  if (!node) return '';
  if (node.type === 'Identifier') return node.name;
  if (node.type === 'ThisExpression') return 'this';
  if (node.type === 'MemberExpression') {
    if (!node.computed) return `${dotted(node.object)}.${node.property.name}`;
    if (node.property.type === 'Literal') return `${dotted(node.object)}.${node.property.value}`;
    const key = node.property.type === 'Identifier' ? node.property.name : '…';
    return `${dotted(node.object)}[${key}]`;
  }
  if (node.type === 'CallExpression') return `${dotted(node.callee)}()`;
  return '';
};

const requiredModule = (node) => (
  node && node.type === 'CallExpression' && node.callee.type === 'Identifier'
  && node.callee.name === 'require' && node.arguments.length === 1
  && node.arguments[0].type === 'Literal' && typeof node.arguments[0].value === 'string'
    ? node.arguments[0].value : null
);

/** Local names bound to node:assert, node:test and node:module: name -> module. */
function bindings(ast) {
  const bound = new Map();
  const bindPattern = (pattern, module) => {
    if (pattern.type === 'Identifier') bound.set(pattern.name, module);
    else if (pattern.type === 'ObjectPattern') {
      for (const prop of pattern.properties) {
        if (prop.type !== 'Property') continue;
        const key = prop.key.name || prop.key.value;
        const member = key === 'strict' && ASSERT_MODULES.has(module) ? 'assert/strict' : null;
        if (member || TEST_MODULES.has(module)) bindPattern(prop.value, member || `${module}#${key}`);
      }
    }
  };
  walk.simple(ast, {
    ImportDeclaration(node) {
      const module = node.source.value;
      for (const spec of node.specifiers) {
        if (spec.type === 'ImportSpecifier') {
          const key = spec.imported.name || spec.imported.value;
          bound.set(spec.local.name, key === 'strict' && ASSERT_MODULES.has(module)
            ? 'assert/strict' : `${module}#${key}`);
        } else {
          bound.set(spec.local.name, module);
        }
      }
    },
    VariableDeclarator(node) {
      let init = node.init;
      let member = null;
      if (init && init.type === 'MemberExpression' && !init.computed) {
        member = init.property.name;
        init = init.object;
      }
      const module = requiredModule(init);
      if (!module) return;
      if (member) bindPattern(node.id, `${module}#${member}`);
      else bindPattern(node.id, module);
    },
  });
  return bound;
}

const moduleKind = (module) => {
  if (!module) return null;
  const [name, member] = module.split('#');
  if (ASSERT_MODULES.has(name)) return 'assert';
  if (TEST_MODULES.has(name)) return member ? `test#${member}` : 'test';
  if (name === 'module' || name === 'node:module') return 'module';
  return null;
};

/** What the object of a member expression refers to: 'assert', 'test', 'module', or null. */
function target(node, bound) {
  if (!node) return null;
  if (node.type === 'Identifier') {
    const kind = moduleKind(bound.get(node.name));
    if (kind === 'test' || kind === 'assert' || kind === 'module') return kind;
    if (kind && kind.startsWith('test#')) return 'test';
    return node.name === 'assert' ? 'assert' : null;
  }
  if (node.type === 'CallExpression') {
    const kind = moduleKind(requiredModule(node));
    return kind && kind.startsWith('test#') ? 'test' : kind;
  }
  if (node.type === 'MemberExpression') return target(node.object, bound);
  return null;
}

/** A string literal (or template) naming a /proc/<pid>/environ file. */
function readsEnvironFile(node) {
  const text = node.type === 'Literal' && typeof node.value === 'string' ? node.value
    : node.type === 'TemplateLiteral' ? node.quasis.map((q) => q.value.cooked).join('*') : null;
  return text !== null && /^\/proc\/[^/]*\/environ$/.test(text);
}

function scanFile(rel, ast, isTest) {
  const bound = bindings(ast);
  const found = [];
  const add = (node, detail, alters = true) => found.push({ line: node.loc.start.line, detail,
    alters });
  const tampered = (left, node, verb) => {
    if (left.type !== 'MemberExpression') return;
    const kind = target(left.object, bound);
    const name = dotted(left);
    if (kind === 'assert') add(node, `${verb} a method of node:assert (${name})`);
    else if (kind === 'test') add(node, `${verb} a member of node:test (${name})`);
    else if (kind === 'module' || /(^|\.)Module$/.test(dotted(left.object))) {
      if (LOADER_MEMBERS.has(left.property.name) || name.endsWith('prototype.require')) {
        add(node, `patches the module loader (${name})`);
      }
    } else if (/^process\.(stdout|stderr)\.(write|_write|_writev)$/.test(name)) {
      add(node, `replaces ${name}`);
    } else if (/^require\.(cache|extensions)/.test(name)) {
      add(node, `patches the module loader (${name})`);
    }
  };
  walk.simple(ast, {
    AssignmentExpression(node) { tampered(node.left, node, 'reassigns'); },
    UnaryExpression(node) {
      if (node.operator === 'delete') tampered(node.argument, node, 'deletes');
    },
    CallExpression(node) {
      const called = dotted(node.callee);
      if (REDEFINERS.has(called) && node.arguments.length) {
        const first = node.arguments[0];
        const kind = target(first, bound);
        if (kind === 'assert' || kind === 'test') {
          add(node, `redefines node:${kind} with ${called}`);
        } else if (/^process\.(stdout|stderr)$/.test(dotted(first))) {
          add(node, `redefines ${dotted(first)} with ${called}`);
        }
      }
      if (called === 'process.exit' || called === 'process.kill') {
        add(node, `calls ${called}`, false);
      }
      if (node.arguments.some(readsEnvironFile)) {
        add(node, 'reads a process environment from /proc (where the run\'s sentinel names are)');
      }
      const member = called.startsWith('process.') ? called.slice(8) : null;
      if (member && PROCESS_INTERNALS.has(member)) add(node, `uses a process internal (${called})`);
      if (!isTest) {
        const module = requiredModule(node);
        const kind = moduleKind(module);
        if (kind === 'assert' || kind === 'test') {
          add(node, `loads ${module} outside the tests`, false);
        }
      }
    },
    MemberExpression(node) {
      const name = dotted(node);
      const key = node.computed && node.property.type === 'Literal' ? node.property.value : null;
      if (/^process\.env\.RECIPROCAL_/.test(name)
          || (dotted(node.object) === 'process.env' && typeof key === 'string'
              && key.startsWith('RECIPROCAL_'))) {
        add(node, `reads the harness's environment (${name || `process.env[${key}]`})`);
      }
    },
    ImportExpression(node) {
      const source = node.source.type === 'Literal' ? node.source.value : null;
      const kind = moduleKind(source);
      if (!isTest && (kind === 'assert' || kind === 'test')) {
        add(node, `loads ${source} outside the tests`, false);
      }
    },
    ImportDeclaration(node) {
      const kind = moduleKind(node.source.value);
      if (!isTest && (kind === 'assert' || kind === 'test')) {
        add(node, `loads ${node.source.value} outside the tests`, false);
      }
    },
  });
  return found;
}

const REGISTER = new Set(['test', 'it', 'describe', 'suite']);
const MODIFIERS = new Set(['skip', 'only', 'todo']);

/** The node:test function a callee names, or null. */
function registrar(callee, bound) {
  let node = callee;
  if (node.type === 'MemberExpression' && !node.computed && MODIFIERS.has(node.property.name)) {
    node = node.object;
  }
  if (node.type === 'Identifier') {
    const module = bound.get(node.name);
    if (!module) return null;
    const [name, member] = module.split('#');
    if (!TEST_MODULES.has(name)) return null;
    if (!member || member === 'default') return 'test';
    return REGISTER.has(member) ? member : null;
  }
  if (node.type === 'MemberExpression' && !node.computed && REGISTER.has(node.property.name)
      && node.object.type === 'Identifier') {
    const module = bound.get(node.object.name);
    return module && TEST_MODULES.has(module) ? node.property.name : null;
  }
  return null;
}

const literalName = (node) => {
  if (!node) return null;
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node.type === 'TemplateLiteral' && node.expressions.length === 0) {
    return node.quasis[0].value.cooked;
  }
  return null;
};

/** Top-level test names of a hidden test file, or a reason why they cannot be read. */
function topLevelTests(ast) {
  const bound = bindings(ast);
  const testNames = new Set([...bound].filter(([, m]) => TEST_MODULES.has(m.split('#')[0]))
    .map(([n]) => n));
  const names = [];
  const registered = new Set();
  for (const statement of ast.body) {
    let expression = statement.type === 'ExpressionStatement' ? statement.expression : null;
    if (expression && expression.type === 'AwaitExpression') expression = expression.argument;
    if (!expression || expression.type !== 'CallExpression') continue;
    if (!registrar(expression.callee, bound)) continue;
    const name = literalName(expression.arguments[0]);
    if (name === null) return { reason: `line ${statement.loc.start.line}: a test without a literal name` };
    names.push(name);
    registered.add(expression);
  }
  // Every other use of a node:test function must sit inside one of those top-level calls
  // (a nested test or suite); anywhere else the set of top-level tests is not in the syntax.
  let reason = null;
  walk.ancestor(ast, {
    Identifier(node, ancestors) {
      if (reason || !testNames.has(node.name)) return;
      const parent = ancestors[ancestors.length - 2];
      if (parent && (parent.type === 'ImportSpecifier' || parent.type === 'ImportDefaultSpecifier'
          || parent.type === 'ImportNamespaceSpecifier' || parent.type === 'Property'
          || parent.type === 'VariableDeclarator' || parent.type === 'ObjectPattern')) return;
      if (ancestors.some((a) => registered.has(a))) return;
      reason = `line ${node.loc.start.line}: ${node.name} is used other than as a top-level test`;
    },
  });
  return reason ? { reason } : { names };
}

function main([submission, hidden]) {
  let findings = 0;
  for (const file of files(submission, (name) => SOURCE.test(name))) {
    if (findings >= MAX_FINDINGS) break;
    const rel = path.relative(submission, file);
    let text;
    try {
      if (fs.statSync(file).size > MAX_FILE_BYTES) continue;
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    let ast;
    try {
      ast = parse(text);
    } catch (error) {
      send({ kind: 'finding', file: rel, line: error.loc ? error.loc.line : null, alters: false,
        detail: `could not be parsed as JavaScript (${error.message}), so it was not checked` });
      findings += 1;
      continue;
    }
    for (const item of scanFile(rel, ast, TEST_FILE.test(path.basename(file)))) {
      if (findings >= MAX_FINDINGS) break;
      send({ kind: 'finding', file: rel, ...item });
      findings += 1;
    }
  }
  for (const file of files(hidden, (name) => TEST_FILE.test(name))) {
    const rel = path.relative(hidden, file);
    let result;
    try {
      result = topLevelTests(parse(fs.readFileSync(file, 'utf8')));
    } catch (error) {
      result = { reason: `could not be parsed (${error.message})` };
    }
    send(result.names ? { kind: 'tests', file: rel, names: result.names }
      : { kind: 'dynamic', file: rel, reason: result.reason });
  }
}

const args = process.argv.slice(2);
if (args[0] === '--warm') {
  const message = fs.readFileSync(Number(args[1]), 'utf8');
  if (message) main(JSON.parse(message).args); // else the container ended without a job
} else {
  main(args);
}
