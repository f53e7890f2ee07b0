// The process the crash test kills: opens the real manager on a JSONL store, gives it a ledger
// over the workspace, and restores checkpoint KEY of session SID (scope both). It prints
// `started` when the restore's intent is recorded, `changed` for every file it puts back and
// `done` at the end, so the test can kill it with SIGKILL anywhere in between. It starts when a
// line arrives on stdin (after `ready`).
// Run: RESTORE_CHILD=1 node --import tsx test/unit/changes/restore-child.ts <storeDir> <ws> <changesDir> <sid> <key>
// (the test runs the same file bundled once with esbuild: 50 tsx start-ups would not fit its time budget).
import { SessionManager } from '../../../src/core/session/manager';
import { JsonlSessionStore } from '../../../src/core/store/jsonl-store';
import { ToolRegistry } from '../../../src/core/tools/registry';
import { AgentError } from '../../../src/core/base/errors';
import { nullLogger, systemClock } from '../../../src/core/ports';
import { attachLedger, makeLedger } from './restore-harness';

async function main([storeDir, ws, changesDir, sid, key]: string[]): Promise<void> {
  // No model and no tool is used here: the real manager without providers or a permission engine
  // (their libraries would double this process's start-up, paid 51 times by the test).
  const never = (): never => { throw new AgentError('invalid_state', 'no model in the restore child'); };
  const manager = new SessionManager({
    store: new JsonlSessionStore({ directory: storeDir }), createProvider: never, secrets: { getApiKey: async () => undefined },
    tools: new ToolRegistry([]), permissions: { evaluate: async () => never() }, hostRules: () => [], workspaceRoots: [ws],
    isWorkspaceTrusted: () => true, logger: nullLogger, clock: systemClock,
  });
  await manager.init();
  attachLedger(manager, makeLedger(changesDir, [ws]));
  manager.onEvent((e) => {
    if (e.type === 'restore.started') process.stdout.write('started\n');
    if (e.type === 'file.changed') process.stdout.write('changed\n');
  });
  await manager.changes.restore(sid, key, 'both');
  process.stdout.write('done\n');
  await manager.dispose();
}

if (process.env.RESTORE_CHILD === '1') {
  // Loaded and waiting: the test boots the next child while it checks the last one, then says `go`.
  process.stdout.write('ready\n');
  process.stdin.once('data', () => {
    process.stdin.pause();
    main(process.argv.slice(2)).catch((e: unknown) => {
      process.stderr.write(`${String((e as Error).stack ?? e)}\n`);
      process.exit(1);
    });
  });
}
