const assert = require('node:assert/strict');
const { greet } = require('./greet');

assert.equal(greet('world'), 'Hello, world!');
console.log('ok');
