'use strict';
// Reciprocal's preload for every node:test file (node --require): loaded before any candidate
// code. After the test file's main module has run (and with it the candidate's code), it adds
// the run's sentinel tests, named from the run's nonce: the must-fail ones fail through
// node:assert/strict, the must-pass ones check that node:assert and node:test still hold the
// functions they held before the candidate's code ran. A report that contradicts them marks the
// run altered (reciprocal.runner.integrity). A warm runner (node-warm.mjs) loads it before its
// job exists, learns the names with the job and calls addSentinels itself.
const Module = require('node:module');
const assert = require('node:assert');
const strict = require('node:assert/strict');
const nodeTest = require('node:test');

const [failNames, passNames] = (process.env.RECIPROCAL_SENTINELS || ';')
  .split(';')
  .map((part) => part.split(',').filter(Boolean));

const snapshot = (object) => Object.fromEntries(
  Object.getOwnPropertyNames(object).map((key) => [key, object[key]]),
);
const watched = { assert: [assert, snapshot(assert)], 'assert/strict': [strict, snapshot(strict)],
  test: [nodeTest, snapshot(nodeTest)] };
const { test } = nodeTest;
const { equal, deepEqual } = strict;

function replaced() {
  const found = [];
  for (const [name, [object, before]] of Object.entries(watched)) {
    for (const key of Object.keys(before)) {
      if (object[key] !== before[key]) found.push(`node:${name}.${key}`);
    }
  }
  return found;
}

function addSentinels(failNames, passNames) {
  failNames.forEach((name, index) => {
    test(`reciprocal sentinel ${name}`, () => {
      if (index % 2 === 0) require('node:assert/strict').equal(1, 2);
      else require('node:assert/strict').deepEqual({ sentinel: 1 }, { sentinel: 2 });
    });
  });
  passNames.forEach((name) => {
    test(`reciprocal sentinel ${name}`, () => {
      const changed = replaced();
      if (changed.length) throw new Error(`the test tool was changed: ${changed.join(', ')}`);
      equal(1, 1);
      deepEqual({ sentinel: 1 }, { sentinel: 1 });
    });
  });
}

const runMain = Module.runMain;
Module.runMain = function reciprocalRunMain(...args) {
  Module.runMain = runMain;
  const result = runMain.apply(this, args);
  if (failNames.length || passNames.length) addSentinels(failNames, passNames);
  return result;
};

module.exports = { addSentinels };
