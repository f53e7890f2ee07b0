/**
 * The approval of hook commands: each is approved once per content hash (event, matcher,
 * command, source; see config.ts hookHash) through the host's port, which asks the user and
 * remembers the answer. Concurrent asks for one hash share a single question.
 */
import type { HookApprovalPort, HookCommand } from './types';

export class HookApprovals {
  private readonly asking = new Map<string, Promise<boolean>>();

  /** @param port the host's; absent: no hook is approved (none runs). */
  constructor(private readonly port: HookApprovalPort | undefined) {}

  /** The remembered answer without asking (false when there is none). */
  isApproved(hook: HookCommand): boolean {
    return this.port?.approved(hook) === true;
  }

  /** Whether `hook` may run: the remembered answer, else the user's (asked once per hash at a time). */
  async check(hook: HookCommand): Promise<boolean> {
    const port = this.port;
    if (!port) return false;
    const known = port.approved(hook);
    if (known !== undefined) return known;
    let pending = this.asking.get(hook.hash);
    if (!pending) {
      pending = port.approve(hook).catch(() => false).finally(() => this.asking.delete(hook.hash));
      this.asking.set(hook.hash, pending);
    }
    return pending;
  }
}

/** A port that remembers answers in memory and answers new hashes with `answer` (tests, headless use). */
export class MemoryHookApprovals implements HookApprovalPort {
  readonly answers = new Map<string, boolean>();
  /** Hashes asked about, in order. */
  readonly asked: string[] = [];
  constructor(private readonly answer: (hook: HookCommand) => boolean | Promise<boolean>) {}
  approved(hook: HookCommand): boolean | undefined { return this.answers.get(hook.hash); }
  async approve(hook: HookCommand): Promise<boolean> {
    this.asked.push(hook.hash);
    const a = await this.answer(hook);
    this.answers.set(hook.hash, a);
    return a;
  }
}
