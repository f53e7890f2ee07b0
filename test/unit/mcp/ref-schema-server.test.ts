import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ctx, manager } from './helpers';
import type { McpServerConfig } from '../../../src/core/mcp/types';

const SERVER = join(import.meta.dirname, 'servers', 'ref-schema-server.mjs');
const config: McpServerConfig = { name: 'refs', type: 'stdio', command: process.execPath, args: [SERVER], env: {}, source: { kind: 'settings', scope: 'user' } };

void describe('a real stdio server with $ref schemas', () => {
  void test('$ref into properties (draft-07) and $defs (2020-12) validate; the broken schema is reported; $schema is not passed on', async () => {
    const { mgr } = manager();
    await mgr.add(config);
    assert.equal(mgr.status('refs')?.state, 'connected');
    const byName = new Map(mgr.tools().map((t) => [t.name, t]));
    const pr = byName.get('mcp__refs__create_pull_request')!;
    assert.equal('$schema' in pr.inputSchema, false);
    const wrong = pr.validate({ owner: 'o', repo: 'r', head: 'h', base: 1, reviewers: [2] });
    assert.ok(!wrong.ok);
    assert.match(wrong.error, /\/base: must be string; \/reviewers\/0: must be string/);
    const right = pr.validate({ owner: 'o', repo: 'r', head: 'h', base: 'main' });
    assert.ok(right.ok);
    assert.equal((await pr.execute(right.value, ctx())).content, 'create_pull_request got {"owner":"o","repo":"r","head":"h","base":"main"}');
    const query = byName.get('mcp__refs__query')!;
    assert.match((query.validate({ filters: [{ field: 'a', op: 'like' }] }) as { error: string }).error, /\/filters\/0\/op: must be equal to one of the allowed values/);
    assert.ok(query.validate({ filters: [{ field: 'a', op: 'eq' }] }).ok);
    const broken = byName.get('mcp__refs__broken')!;
    assert.match(broken.mcp?.schemaProblem ?? '', /can't resolve reference #\/\$defs\/Missing/);
    assert.match((broken.validate({ x: 1 }) as { error: string }).error, /cannot be called: the input schema server "refs" gives for it is invalid/);
    await mgr.shutdown();
  });
});
