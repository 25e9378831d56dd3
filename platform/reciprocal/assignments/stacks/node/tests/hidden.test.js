const test = require('node:test');
const assert = require('node:assert');
const path = require('node:path');
const { wordCount } = require(path.join(process.env.SUBMISSION_DIR, 'src/wordcount.js'));

// Top-level tests with literal names: the harness reads their ids from this file.
test('an empty text has no words', () => assert.strictEqual(wordCount(''), 0));
test('one word', () => assert.strictEqual(wordCount('one'), 1));
test('words separated by single spaces', () => assert.strictEqual(wordCount('a b c'), 3));
test('runs of spaces count once', () => assert.strictEqual(wordCount('  spaced   out  '), 2));
test('tabs and new lines separate words', () => {
  assert.strictEqual(wordCount('tabs\tand\nlines'), 3);
});
