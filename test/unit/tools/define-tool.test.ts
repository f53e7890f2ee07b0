// defineTool: a tool's name and schema are written once; the model's JSON Schema, the runtime
// check and its messages come from them. Built-ins say whether they are read-only (the lane).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { defineTool } from '../../../src/core/tools/define';
import { createBuiltinTools } from '../../../src/core/tools/builtins';
import { createSpawnSessionTool } from '../../../src/core/tools/spawn-session';
import { createMcpTool } from '../../../src/core/mcp/tool';

void describe('defineTool', () => {
  const tool = defineTool({
    name: 'greet',
    description: 'Say hello.',
    schema: z.object({ who: z.string().min(1).describe('Whom to greet.') }),
    kind: 'other',
    check: (v) => (v.who === 'nobody' ? 'who must be somebody.' : undefined),
    describe: async (args) => ({ summary: `greet ${args.who}` }),
    execute: async (args) => ({ content: `hello ${args.who}` }),
  });

  void test('the JSON Schema the model sees comes from the one zod schema', () => {
    assert.equal(tool.name, 'greet');
    assert.deepEqual(tool.inputSchema.required, ['who']);
    assert.equal((tool.inputSchema.properties as Record<string, { description?: string }>).who.description, 'Whom to greet.');
  });

  void test('validation: schema errors and check() errors both name the tool, once', () => {
    assert.deepEqual(tool.validate({ who: 'Ada' }), { ok: true, value: { who: 'Ada' } });
    const bad = tool.validate({});
    assert.ok(!bad.ok && /^Invalid arguments for greet: "who"/.test(bad.error), JSON.stringify(bad));
    const checked = tool.validate({ who: 'nobody' });
    assert.deepEqual(checked, { ok: false, error: 'Invalid arguments for greet: who must be somebody.' });
  });

  void test('every built-in names itself in its validation errors', () => {
    const all = [...createBuiltinTools(), createSpawnSessionTool({ spawn: async () => ({ content: '' }) })];
    for (const t of all) {
      const r = t.validate({ unexpected: [1, 2, 3], path: 42, tasks: 'x', goal: 7, command: 3 });
      assert.ok(!r.ok, `${t.name} refuses nonsense`);
      assert.ok(r.error.startsWith(`Invalid arguments for ${t.name}:`), `${t.name}: ${r.error}`);
      assert.ok(!r.error.slice(1).includes('Invalid arguments for'), `${t.name}: named once`);
    }
  });

  void test('read-only lane: the read-only built-ins say so, edits, commands and tasks do not; MCP from readOnlyHint', () => {
    const readOnly = createBuiltinTools().filter((t) => t.readOnly === true).map((t) => t.name);
    assert.deepEqual(readOnly.sort(), ['find_files', 'list_dir', 'read_file', 'search_text']);
    const caller = { callTool: async () => ({ content: '' }) };
    const listing = { name: 'look', inputSchema: { type: 'object' as const, properties: {} } };
    assert.equal(createMcpTool('srv', { ...listing, annotations: { readOnlyHint: true } }, caller).readOnly, true);
    assert.notEqual(createMcpTool('srv', { ...listing, annotations: { readOnlyHint: false } }, caller).readOnly, true);
    assert.notEqual(createMcpTool('srv', listing, caller).readOnly, true);
  });
});
