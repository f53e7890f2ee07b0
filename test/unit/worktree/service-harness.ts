/**
 * Worktree sessions over real git: a fixture repository (git-fixture.ts) as the workspace, the
 * real GitWorktrees as the manager's `worktrees.git`, the real file tools, a JSONL store and the
 * fake LLM scripted by the prompt (`plan:[…]`), answering commit-message requests with `draft`.
 */
import type { FakeLlm, RecordedRequest } from '../../fake-llm';
import { script } from '../../fake-llm';
import type { Harness } from '../session/harness';
import type { SessionManagerDeps } from '../../../src/core/session/manager';
import type { EventOf } from '../../../src/core/session/events';
import { openLedger, planResponder, type Place } from '../changes/ledger-harness';
import type { Fixture } from './git-fixture';

/** The system prompt of a request (OpenAI wire format). */
export function systemOf(req: RecordedRequest): string {
  const messages = (req.body?.messages ?? []) as Array<{ role?: string; content?: unknown }>;
  return messages.filter((m) => m.role === 'system').map((m) => String(m.content)).join('\n');
}

/** A manager over `p`'s store whose workspace is `f.repo` and whose sessions get worktrees under `f.wtDir`. */
export async function openGit(fake: FakeLlm, f: Fixture, p: Place, o: { draft?: string; deps?: Partial<SessionManagerDeps> } = {}): Promise<Harness> {
  const h = await openLedger(fake, p, { workspaceRoots: [f.repo], worktrees: { git: f.wt, worktreesDir: () => f.wtDir }, ...o.deps });
  fake.setResponder((req) => (/You write git commit messages/.test(systemOf(req)) ? script.text(o.draft ?? 'Change things') : planResponder(req)));
  return h;
}

/** The `worktree.*` events of session `id` recorded so far. */
export function worktreeEvents(h: Harness, id: string): Array<EventOf<'worktree.created' | 'worktree.checked' | 'worktree.applied' | 'worktree.committed' | 'worktree.discarded'>> {
  return h.of(id).filter((e): e is EventOf<'worktree.created' | 'worktree.checked' | 'worktree.applied' | 'worktree.committed' | 'worktree.discarded'> => e.type.startsWith('worktree.'));
}
