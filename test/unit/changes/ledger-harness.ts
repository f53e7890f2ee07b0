/**
 * The change ledger through a real session: the real SessionManager on a JSONL store, the real
 * file tools, blobs under a temp changesDir, and the fake LLM scripted by the prompt itself
 * (`plan:[…]`: the calls to make, one after another), so several sessions can run at once.
 */
import { mkdirSync, readdirSync, readFileSync, realpathSync, mkdtempSync, rmSync, type Dirent } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { script, type FakeLlm } from '../../fake-llm';
import type { RecordedRequest } from '../../fake-llm/responders';
import { startHarness, testTools, type Harness } from '../session/harness';
import { JsonlSessionStore } from '../../../src/core/store/jsonl-store';
import { createBuiltinTools } from '../../../src/core/tools/builtins';
import type { SessionManagerDeps } from '../../../src/core/session/manager';
import type { EventOf, SessionEvent } from '../../../src/core/session/events';
import type { AnyTool } from '../../../src/core/tools/types';

/** One call of a plan. `retry`: when refused with "Read it again", the model reads the file and makes the call again. */
export interface PlanStep { name: string; args: Record<string, unknown>; retry?: boolean }

type Msg = { role?: string; content?: unknown };

/** The tool results since the last user message (OpenAI wire format). */
function resultsSinceUser(req: RecordedRequest): { plan: PlanStep[]; results: string[] } {
  const messages = (req.body?.messages ?? []) as Msg[];
  let last = -1;
  messages.forEach((m, i) => { if (m.role === 'user') last = i; });
  const text = typeof messages[last]?.content === 'string' ? messages[last].content as string : '';
  const plan = text.startsWith('plan:') ? JSON.parse(text.slice(5)) as PlanStep[] : [];
  const results = messages.slice(last + 1).filter((m) => m.role === 'tool').map((m) => String(m.content));
  return { plan, results };
}

/** The next call of the plan given the results so far (refused retry steps get a read and a second try, at most 5). */
export function planResponder(req: RecordedRequest) {
  const { plan, results } = resultsSinceUser(req);
  const queue = [...plan];
  let retries = 0;
  results.forEach((r, i) => {
    const step = queue[i];
    if (step?.retry && /Read it again/.test(r) && retries++ < 5) {
      queue.splice(i + 1, 0, { name: 'read_file', args: { path: String(step.args.path) } }, step);
    }
  });
  const next = queue[results.length];
  return next ? script.toolCall(next.name, next.args) : script.text(`done: ${results.at(-1) ?? 'nothing'}`);
}

export interface Place {
  /** Workspace root (real path). */
  ws: string;
  storeDir: string;
  changesDir: string;
  /** A folder outside the workspace. */
  outside: string;
}

const places: string[] = [];

/** Deletes every folder `place` made. */
export function cleanupPlaces(): void {
  for (const dir of places.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A temp workspace, store, changes folder and a folder outside the workspace. */
export function place(prefix = 'ledger-'): Place {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  places.push(dir);
  const p = { ws: join(dir, 'ws'), storeDir: join(dir, 'store'), changesDir: join(dir, 'changes'), outside: join(dir, 'outside') };
  for (const d of [p.ws, p.outside]) mkdirSync(d, { recursive: true });
  return p;
}

/** A manager with the real file tools on a JSONL store, blobs under `changesDir`. */
export function openLedger(fake: FakeLlm, p: Place, deps: Partial<SessionManagerDeps> = {}): Promise<Harness> {
  const tools = testTools();
  for (const t of createBuiltinTools()) if (!tools.get(t.name)) tools.register(t as AnyTool);
  fake.setResponder(planResponder);
  return startHarness({ fake, store: new JsonlSessionStore({ directory: p.storeDir }), deps: { tools, workspaceRoots: [p.ws], changesDir: p.changesDir, ...deps } });
}

/** The results of one turn of `sessionId` that ran `plan` (waits for it to finish). */
export async function runPlan(h: Harness, sessionId: string, plan: PlanStep[]): Promise<Array<{ name: string; content: string; isError: boolean }>> {
  const from = h.of(sessionId).length;
  await h.manager.send(sessionId, `plan:${JSON.stringify(plan)}`);
  await h.manager.whenIdle(sessionId);
  return h.of(sessionId).slice(from).filter((e): e is EventOf<'tool.completed'> => e.type === 'tool.completed')
    .map((e) => ({ name: e.name, content: e.content, isError: e.isError }));
}

export function fileChanges(events: readonly SessionEvent[]): Array<EventOf<'file.changed'>> {
  return events.filter((e): e is EventOf<'file.changed'> => e.type === 'file.changed');
}

/** Every file under `dir` (path → bytes). */
export function filesUnder(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { recursive: true, withFileTypes: true });
  } catch {
    return out; // no folder: no files
  }
  for (const e of entries) if (e.isFile()) out.set(join(e.parentPath, e.name), readFileSync(join(e.parentPath, e.name)));
  return out;
}
