const test = require('node:test');
const assert = require('node:assert');
const path = require('node:path');
const root = process.env.SUBMISSION_DIR || path.join(__dirname, '..');
const { wordCount } = require(path.join(root, 'src/wordcount.js'));

test('two words', () => assert.strictEqual(wordCount('hello world'), 2));
