/**
 * The restore tests' world: a real temp workspace (plain, or a git work tree), the real manager
 * over a store, talking to the fake LLM, with a ledger of its own, and one session that made two
 * turns of file changes:
 *   turn "first":  a.txt created (a1), b.txt modified (b0 → b1), c.txt deleted (c0), sub/e.txt modified (e0 → e1)
 *   turn "second": a.txt modified (a1 → a2), d.txt created (d2)
 */
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SessionStore } from '../../../src/core/store/types';
import type { Session } from '../../../src/core/session/session';
import type { LedgerEnv } from '../../../src/core/changes/types';
import { script, lastUserText, type FakeLlm } from '../../fake-llm';
import { startHarness, type Harness } from '../session/harness';
import { MemorySessionStore } from '../../../src/core/store/memory-store';
import { attachLedger, makeLedger, sessionOf, testHunks, toolChange } from './restore-harness';

export interface World {
  h: Harness;
  dir: string;
  ws: string;
  changesDir: string;
  ledger: LedgerEnv;
  sid: string;
  session: Session;
  /** Record keys of the user messages "first" and "second". */
  first: string;
  second: string;
  p(rel: string): string;
  read(rel: string): Promise<string | undefined>;
  /** Sends a prompt and waits for its turn to end. */
  say(text: string): Promise<void>;
  close(): Promise<void>;
}

/** The fake answers every prompt with `re: <prompt>`. */
export function answerEcho(fake: FakeLlm): void {
  fake.reset();
  fake.setResponder((req) => script.text(`re: ${lastUserText(req)}`));
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_SYSTEM: '/dev/null' } });
}

export async function makeWorld(fake: FakeLlm, options: { git?: boolean; store?: SessionStore; dir?: string } = {}): Promise<World> {
  answerEcho(fake);
  const dir = options.dir ?? await fs.mkdtemp(join(tmpdir(), 'agent-sessions-restore-'));
  const ws = join(dir, 'ws');
  const changesDir = join(dir, 'changes');
  const p = (rel: string): string => join(ws, rel);
  await fs.mkdir(p('sub'), { recursive: true });
  await fs.writeFile(p('b.txt'), 'b0\n');
  await fs.writeFile(p('c.txt'), 'c0\n');
  await fs.writeFile(p('sub/e.txt'), 'e0\n');
  if (options.git) {
    git(ws, 'init', '-q');
    git(ws, 'add', '.');
    git(ws, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'start');
  }
  const h = await startHarness({ fake, store: options.store ?? new MemorySessionStore(), deps: { workspaceRoots: [ws], hunks: testHunks } });
  const ledger = makeLedger(changesDir, [ws]);
  attachLedger(h.manager, ledger);
  const { id: sid } = await h.manager.create({ title: 'restore world' });
  const say = async (text: string): Promise<void> => {
    await h.manager.send(sid, text);
    await h.manager.whenIdle(sid);
  };
  await say('first');
  const session = await sessionOf(h.manager, sid);
  await toolChange(session, ledger, p('a.txt'), 'a1\n');
  await toolChange(session, ledger, p('b.txt'), 'b1\n');
  await toolChange(session, ledger, p('c.txt'), undefined);
  await toolChange(session, ledger, p('sub/e.txt'), 'e1\n');
  await say('second');
  await toolChange(session, ledger, p('a.txt'), 'a2\n');
  await toolChange(session, ledger, p('d.txt'), 'd2\n');
  const users = session.data.records.filter((r) => r.kind === 'user');
  return {
    h, dir, ws, changesDir, ledger, sid, session, first: users[0].key, second: users[1].key, p, say,
    read: (rel) => fs.readFile(p(rel), 'utf8').catch(() => undefined),
    close: async () => {
      await h.manager.dispose();
      if (!options.dir) await fs.rm(dir, { recursive: true, force: true });
    },
  };
}
