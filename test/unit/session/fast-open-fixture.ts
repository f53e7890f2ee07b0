/**
 * A realistic session log for the fast-open tests, written by the real engine to a JSONL store:
 * tool calls (echo + update_tasks), usage, two LLM compactions (the second also replaces the first
 * summary), a rename, config changes, and a second session. Built once, copied per test.
 */
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { lastToolResult, lastUserText, script, type FakeLlm, type RecordedRequest } from '../../fake-llm';
import { startHarness } from './harness';
import { JsonlSessionStore } from '../../../src/core/store/jsonl-store';
import { nodeStoreFs } from '../../../src/core/store/fs-seam';
import { readLog } from '../../../src/core/store/log-reader';
import type { SessionEvent } from '../../../src/core/session/events';
import type { SessionSnapshot } from '../../../src/core/session/types';
import type { TranscriptPage } from '../../../src/core/session/api';

const isSummaryRequest = (req: RecordedRequest): boolean => JSON.stringify(req.body ?? {}).includes('You compress the middle part');

/** Scripted replies: prompts containing "tools" call echo and update_tasks first; summaries say SUMMARY-n. */
export function respond(fake: FakeLlm): void {
  let summaries = 0;
  fake.setResponder((req) => {
    if (isSummaryRequest(req)) return script.text(`SUMMARY-${++summaries}`);
    const last = lastUserText(req);
    const tokens = JSON.stringify(req.body ?? {}).length;
    if (last.includes('tools') && !lastToolResult(req)) {
      return script.of(
        script.text('checking'),
        script.toolCall('echo', { text: last.slice(0, 40) }),
        script.toolCall('update_tasks', { tasks: [{ id: '1', title: `task for ${last.slice(0, 20)}`, status: 'in_progress' }, { id: '2', title: 'done one', status: 'done' }] }),
        script.usage(tokens, 30),
      );
    }
    return script.of(script.text(`reply to ${last.slice(0, 60)}`), script.usage(tokens, 50));
  });
}

export interface FixtureLog {
  /** Directory holding the store (copy it before changing anything). */
  dir: string;
  id: string;
  otherId: string;
  /** What the engine showed before it closed. */
  snapshot: SessionSnapshot;
  pages: Map<number, TranscriptPage>;
}

export const PAGE_LIMITS = [1, 2, 3, 5, 8, 13, 21, 100, 1_000];

export async function buildFixture(fake: FakeLlm, dir: string): Promise<FixtureLog> {
  respond(fake);
  const h = await startHarness({ fake, store: new JsonlSessionStore({ directory: dir }) });
  const s = await h.manager.create({ title: 'big one', config: { autoCompact: false } });
  const other = await h.manager.create({ title: 'other' });
  const say = async (text: string): Promise<void> => {
    await h.manager.send(s.id, text);
    await h.manager.whenIdle(s.id);
  };
  await say('ORIGINAL: build it with tools');
  await say('second');
  await say('third with tools');
  await say('fourth');
  await h.manager.compact(s.id);
  await say('fifth with tools');
  await say('sixth');
  await h.manager.rename(s.id, 'renamed big one');
  await say('seventh');
  await h.manager.compact(s.id);
  await h.manager.updateConfig(s.id, { mode: 'auto-edit', maxToolRounds: 7 });
  await say('eighth with tools');
  await say('ninth');
  await h.manager.send(other.id, 'hello');
  await h.manager.whenIdle(other.id);
  const snapshot = h.manager.get(s.id)!;
  const pages = new Map<number, TranscriptPage>();
  for (const limit of PAGE_LIMITS) pages.set(limit, await h.manager.transcript(s.id, { limit }));
  await h.close();
  return { dir, id: s.id, otherId: other.id, snapshot, pages };
}

/** A copy of the fixture's store directory. */
export async function copyOf(f: FixtureLog, to: string): Promise<string> {
  await cp(f.dir, to, { recursive: true });
  return to;
}

/** The events of a session exactly as stored (coalesced deltas and all), read line by line with their checksums checked. */
export async function storedEvents(dir: string, id: string): Promise<SessionEvent[]> {
  return (await readLog(nodeStoreFs, join(dir, 'sessions', `${id}.jsonl`), id)).events;
}

export function checkpointPath(dir: string, id: string): string {
  return join(dir, 'sessions', `${id}.checkpoint.json`);
}

/** A JSONL store that counts full loads (the fast path must not do one before it answers). */
export class CountingStore extends JsonlSessionStore {
  loads = 0;
  override async load(sessionId: string): ReturnType<JsonlSessionStore['load']> {
    this.loads++;
    return super.load(sessionId);
  }
}
