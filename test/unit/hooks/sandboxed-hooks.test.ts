/**
 * Hooks run in the OS sandbox when the session's commands are sandboxed (real bubblewrap; skipped
 * where it cannot run, like the other sandbox tests): a hook cannot write outside the workspace
 * nor into its own settings, while the same hook unsandboxed can.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { script, lastToolResult, startFakeLlm, type FakeLlm } from '../../fake-llm';
import { hookWorld } from './harness';
import { CommandIsolation } from '../../../src/core/sandbox/isolation';
import type { CommandSandbox } from '../../../src/core/sandbox/types';
import type { EventOf } from '../../../src/core/session/events';
import { outsideTmp, realBubblewrap } from '../sandbox/helpers';

let fake: FakeLlm;
let sandbox: CommandSandbox;
let skip: string | undefined;
before(async () => { fake = await startFakeLlm(); ({ sandbox, skip } = await realBubblewrap()); });
after(async () => { await fake.close(); });

void describe('sandboxed hooks', () => {
  void test('a hook writing outside the workspace is refused in the sandbox; unsandboxed it writes', { skip }, async () => {
    const outside = outsideTmp('hooks-outside-');
    const base = outsideTmp('hooks-base-');
    const target = path.join(outside.dir, 'escaped.txt');
    const body = `import { writeFileSync } from 'node:fs';
try { writeFileSync(${JSON.stringify(target)}, 'out'); } catch (e) { process.stderr.write('outside: ' + e.code + '\\n'); }
try { writeFileSync(process.env.CLAUDE_PROJECT_DIR + '/.claude/settings.json', '{}'); } catch (e) { process.stderr.write('settings: ' + e.code + '\\n'); process.exit(1); }`;
    try {
      for (const sandboxed of [true, false]) {
        const isolation = new CommandIsolation(sandbox, () => ({ mode: sandboxed ? 'auto' : 'off', extraProtected: [], extraHidden: [] }));
        const w = await hookWorld(fake, [{ event: 'PreToolUse', name: 'escape', body }], { deps: { isolation }, base: base.dir });
        try {
          fake.setResponder((req) => (lastToolResult(req) ? script.text('ok') : script.toolCall('echo', { text: 'x' })));
          const s = await w.h.manager.create({ config: { mode: 'full' } });
          await w.h.manager.send(s.id, 'go');
          await w.h.manager.whenIdle(s.id);
          const run = w.h.of(s.id).find((e): e is EventOf<'hook.ran'> => e.type === 'hook.ran');
          if (sandboxed) {
            assert.equal(existsSync(target), false, 'nothing was written outside the workspace');
            assert.notEqual(readFileSync(path.join(w.ws, '.claude/settings.json'), 'utf8'), '{}', 'its settings are read-only');
            assert.equal(run?.outcome, 'error');
            assert.match(run?.message ?? '', /outside: E(ROFS|ACCES|PERM)/);
          } else {
            assert.equal(readFileSync(target, 'utf8'), 'out', 'the control: unsandboxed it does write');
            assert.equal(run?.outcome, 'ok');
          }
          assert.equal(lastToolResult(fake.requests[1]!)?.content, 'echo:x');
        } finally { await w.close(); }
      }
    } finally { outside.cleanup(); base.cleanup(); }
  });
});
