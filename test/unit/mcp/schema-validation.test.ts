import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createMcpTool, type McpToolCaller, type McpToolListing } from '../../../src/core/mcp/tool';
import { compileToolSchema } from '../../../src/core/mcp/schema-validator';

/** A caller that must never be reached by arguments that fail validation. */
const calls: unknown[] = [];
const caller: McpToolCaller = { callTool: async (_s, _t, args) => { calls.push(args); return { content: 'ok' }; } };

/**
 * The shape zod-to-json-schema (the converter most TypeScript MCP servers use, e.g. the GitHub
 * and filesystem servers of the modelcontextprotocol org) emits for a schema that reuses a
 * sub-schema: draft-07, and a `$ref` into its own properties. Written for this test.
 */
const REF_INTO_PROPERTIES: McpToolListing = {
  name: 'create_pull_request',
  description: 'Create a new pull request in a GitHub repository',
  inputSchema: {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    properties: {
      owner: { type: 'string', description: 'Repository owner (username or organization)' },
      repo: { type: 'string', description: 'Repository name' },
      title: { type: 'string', description: 'Pull request title' },
      head: { type: 'string', description: 'The name of the branch where your changes are implemented' },
      base: { $ref: '#/properties/head', description: 'The name of the branch you want the changes pulled into' },
      draft: { type: 'boolean' },
      reviewers: { type: 'array', items: { $ref: '#/properties/owner' } },
    },
    required: ['owner', 'repo', 'title', 'head', 'base'],
    additionalProperties: false,
  },
};

/** `$defs` / `definitions` refs (pydantic's and zod 4's output). */
const DEFS: McpToolListing = {
  name: 'search',
  inputSchema: {
    type: 'object',
    $defs: { Filter: { type: 'object', properties: { field: { type: 'string' }, value: { type: 'number' } }, required: ['field'] } },
    definitions: { Sort: { enum: ['asc', 'desc'] } },
    properties: { filters: { type: 'array', items: { $ref: '#/$defs/Filter' } }, sort: { $ref: '#/definitions/Sort' } },
  },
};

const good = { owner: 'octo', repo: 'hello', title: 'Fix', head: 'fix-1', base: 'main' };

void describe('MCP tool schemas validated with Ajv', () => {
  void test('a $ref into its own properties validates: wrong types refused, every error named, right ones pass', () => {
    const tool = createMcpTool('github', REF_INTO_PROPERTIES, caller);
    assert.equal(tool.mcp?.schemaProblem, undefined);
    assert.deepEqual(tool.validate(good), { ok: true, value: good });
    const bad = tool.validate({ ...good, base: 42, reviewers: ['a', 7], extra: 1 });
    assert.ok(!bad.ok);
    assert.match(bad.error, /^Invalid arguments for mcp__github__create_pull_request: /);
    assert.match(bad.error, /\/base: must be string/);
    assert.match(bad.error, /\/reviewers\/1: must be string/);
    assert.match(bad.error, /\(arguments\): must NOT have additional properties \("extra"\)/);
    assert.equal(bad.error.split('Invalid arguments for').length - 1, 1, 'the prefix once');
    const missing = tool.validate({ owner: 'octo' });
    assert.ok(!missing.ok && /must have required property 'repo'/.test(missing.error) && /'base'/.test(missing.error));
    assert.ok(!tool.validate([1]).ok, 'an array is not an object');
  });

  void test('$defs and definitions refs resolve', () => {
    const tool = createMcpTool('s', DEFS, caller);
    assert.ok(tool.validate({ filters: [{ field: 'a', value: 1 }], sort: 'asc' }).ok);
    const bad = tool.validate({ filters: [{ value: 'x' }], sort: 'up' });
    assert.ok(!bad.ok);
    assert.match(bad.error, /\/filters\/0: must have required property 'field'/);
    assert.match(bad.error, /\/filters\/0\/value: must be number/);
    assert.match(bad.error, /\/sort: must be equal to one of the allowed values \(\["asc","desc"\]\)/);
  });

  void test('a 2020-12 schema is checked by the 2020-12 rules (prefixItems, $defs)', () => {
    const tool = createMcpTool('s', {
      name: 'point',
      inputSchema: {
        $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object',
        $defs: { coord: { type: 'number' } },
        properties: { at: { type: 'array', prefixItems: [{ $ref: '#/$defs/coord' }, { $ref: '#/$defs/coord' }], items: false } },
        required: ['at'],
      },
    }, caller);
    assert.equal(tool.mcp?.schemaProblem, undefined);
    assert.ok(tool.validate({ at: [1, 2] }).ok);
    const bad = tool.validate({ at: [1, 'two', 3] });
    assert.ok(!bad.ok);
    assert.match(bad.error, /\/at\/1: must be number/);
    assert.match(bad.error, /\/at: must NOT have more than 2 items/);
  });

  void test('formats are checked (ajv-formats)', () => {
    const tool = createMcpTool('s', { name: 'fetch', inputSchema: { type: 'object', properties: { url: { type: 'string', format: 'uri' } } } }, caller);
    assert.ok(tool.validate({ url: 'https://example.com/a' }).ok);
    assert.match((tool.validate({ url: 'not a url' }) as { error: string }).error, /\/url: must match format "uri"/);
  });

  void test('a schema that cannot compile is reported and every call fails naming the problem (never skipped)', async () => {
    const tool = createMcpTool('broken', { name: 'q', inputSchema: { type: 'object', properties: { a: { $ref: '#/$defs/missing' } } } }, caller);
    assert.match(tool.mcp?.schemaProblem ?? '', /can't resolve reference #\/\$defs\/missing/);
    const r = tool.validate({ a: 1 });
    assert.ok(!r.ok);
    assert.match(r.error, /mcp__broken__q cannot be called: the input schema server "broken" gives for it is invalid \(can't resolve reference/);
    const invalidKeyword = createMcpTool('broken', { name: 'r', inputSchema: { type: 'object', required: 'a' } }, caller);
    assert.match(invalidKeyword.mcp?.schemaProblem ?? '', /schema is invalid: data\/required must be array/);
    assert.ok(!invalidKeyword.validate({}).ok);
  });

  void test('$schema, $id and $comment are not sent to the model; $defs stay (refs point there)', () => {
    const tool = createMcpTool('s', { name: 'x', inputSchema: { ...DEFS.inputSchema, $schema: 'http://json-schema.org/draft-07/schema#', $id: 'urn:x', $comment: 'c' } }, caller);
    assert.equal('$schema' in tool.inputSchema, false);
    assert.equal('$id' in tool.inputSchema, false);
    assert.equal('$comment' in tool.inputSchema, false);
    assert.ok('$defs' in tool.inputSchema && 'definitions' in tool.inputSchema);
  });

  void test('two schemas with the same $id compile independently', () => {
    const a = compileToolSchema({ $id: 'urn:same', type: 'object', properties: { v: { type: 'string' } } });
    const b = compileToolSchema({ $id: 'urn:same', type: 'object', properties: { v: { type: 'number' } } });
    assert.ok(a.ok && b.ok);
    assert.deepEqual(a.check({ v: 'x' }), []);
    assert.deepEqual(b.check({ v: 1 }), []);
    assert.equal(b.check({ v: 'x' }).length, 1);
  });

  void test('nothing invalid ever reached the server', () => {
    assert.deepEqual(calls, []);
  });
});
