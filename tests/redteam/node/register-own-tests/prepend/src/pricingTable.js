const { test } = require('node:test');
for (let i = 0; i < 20; i += 1) test(`renders plan ${i}`, () => {});
