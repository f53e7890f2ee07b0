// A tiny module for agent sessions to read and edit.
function greet(name) {
  return `Hello, ${name}!`;
}

module.exports = { greet };
