/**
 * The command-approval bypass table (issue 10): every case is judged by the real permission
 * engine in a real fixture workspace. Every case that must not be allowed carries a probe that
 * runs the command under /bin/sh and/or bash and proves its payload really runs: those run in
 * bypass-probes-*.test.ts (split so each file stays well inside the per-file timeout).
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PermissionEngine } from '../../../src/core/approval/permission-engine';
import { createBuiltinTools } from '../../../src/core/tools/builtins';
import type { PermissionRule } from '../../../src/core/session/types';
import { ALL_CASES } from './bypass/cases';
import { makeFixture, type Fixture } from './bypass/fixture';

function parseRule(spec: string): PermissionRule {
  const m = /^(allow|deny|ask)(?::(session|workspace|user))? (.+)$/.exec(spec);
  if (!m) throw new Error(`bad rule spec: ${spec}`);
  return { action: m[1] as PermissionRule['action'], scope: (m[2] ?? 'workspace') as PermissionRule['scope'], pattern: m[3] };
}

void describe('command bypass table', () => {
  let fx: Fixture;
  const runCommand = createBuiltinTools().find((t) => t.name === 'run_command')!;
  const engine = new PermissionEngine();

  before(() => { fx = makeFixture(); });
  after(() => fx.dispose());

  void test('has at least 300 cases with unique ids, every unsafe one probed', () => {
    assert.ok(ALL_CASES.length >= 300, `${ALL_CASES.length} cases`);
    const ids = new Set<string>();
    for (const c of ALL_CASES) {
      assert.ok(!ids.has(c.id), `duplicate id ${c.id}`);
      ids.add(c.id);
      if (c.expect !== 'allow') assert.ok(c.probe || c.noProbe, `${c.id}: an ask/deny case needs a probe or a reason for none`);
    }
  });

  for (const c of ALL_CASES) {
    void test(`${c.class}: ${c.id} → ${c.expect}`, async () => {
      const args = { command: c.command };
      const v = runCommand.validate(args);
      assert.ok(v.ok);
      const description = await runCommand.describe(v.value, { workspaceRoots: [fx.ws], sessionId: 's1' });
      const d = await engine.evaluate(runCommand, args, description, {
        mode: c.mode ?? 'ask', rules: (c.rules ?? []).map(parseRule), workspaceRoots: [fx.ws], workspaceTrusted: true,
      });
      assert.equal(d.decision, c.expect, `${JSON.stringify(c.command)} under ${JSON.stringify(c.rules ?? [])} in ${c.mode ?? 'ask'} mode → ${d.decision} (source: ${d.source}; message: ${d.message ?? ''})`);
      if (c.suggested !== undefined) assert.equal(d.suggestedRule, c.suggested ?? undefined, 'suggested rule');
      if (d.suggestedRule !== undefined) assert.doesNotMatch(d.suggestedRule, /^run_command(\((\*|\*\*)?\))?$/, 'never a bare tool-level rule');
    });
  }
});
