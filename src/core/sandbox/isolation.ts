/**
 * Per-call isolation of commands: whether this `run_command` call runs in the OS sandbox, with
 * which policy, and the one line the tool card shows ("sandboxed …" or why not). Network is off
 * unless an allow rule for `network` (tool-name rule, any scope) turns it on and no deny rule does.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { parseRulePattern } from '../approval/rule-pattern';
import type { PermissionRule } from '../../shared/session';
import { defaultSandboxPolicy } from './policy';
import type { CommandSandbox, SandboxPolicy } from './types';

/** `agentSessions.sandbox*` settings as core needs them. */
export interface SandboxSettings {
  /** `auto`: sandbox where available; `off`: never (the analysis is then the only guard). */
  mode: 'auto' | 'off';
  /** More protected paths (absolute or root-relative). */
  extraProtected: readonly string[];
  /** More hidden paths (absolute or `~/…`). */
  extraHidden: readonly string[];
  /** More writable folders, e.g. package caches (`~/.npm`, `~/.cache`); absolute or `~/…`. Default none. */
  extraWritable?: readonly string[];
}

/** How one call will run. */
export type CallIsolation =
  | { sandboxed: true; sandbox: CommandSandbox; policy: SandboxPolicy; note: string }
  | { sandboxed: false; note: string };

/** True when the rules turn the sandbox's network on: an allow rule `network` / `network(*)`, no deny. */
export function networkAllowed(rules: readonly PermissionRule[]): boolean {
  const named = rules.filter((r) => parseRulePattern(r.pattern)?.tool === 'network');
  return named.some((r) => r.action === 'allow') && !named.some((r) => r.action === 'deny');
}

/** Decides, per command call, whether and how it is sandboxed. */
export class CommandIsolation {
  constructor(
    private readonly sandbox: CommandSandbox,
    private readonly settings: () => SandboxSettings,
    private readonly env: Readonly<Record<string, string | undefined>> = process.env,
    private readonly home: string = homedir(),
  ) {}

  /** Whether commands are sandboxed here at all, for the UI (no session, default network). */
  async status(): Promise<{ sandboxed: boolean; note: string }> {
    const s = this.settings();
    if (s.mode === 'off') return { sandboxed: false, note: 'not sandboxed: the sandbox is off (setting agentSessions.sandbox); only the command analysis guards commands' };
    const a = await this.sandbox.availability();
    return a.available
      ? { sandboxed: true, note: `sandboxed (${a.kind}): commands write only inside the workspace, protected files read-only, credentials hidden, network off unless a rule allows it` }
      : { sandboxed: false, note: `not sandboxed: ${a.reason}; only the command analysis guards commands` };
  }

  /** Isolation for a command of a session working in `roots`, under `rules` (session + host). */
  async forCall(roots: readonly string[], rules: readonly PermissionRule[]): Promise<CallIsolation> {
    const s = this.settings();
    if (s.mode === 'off') return { sandboxed: false, note: 'not sandboxed: the sandbox is off (setting agentSessions.sandbox); only the command analysis guards this command' };
    const availability = await this.sandbox.availability();
    if (!availability.available) return { sandboxed: false, note: `not sandboxed: ${availability.reason}` };
    const network = networkAllowed(rules);
    const extra = (s.extraWritable ?? []).map((p) => (p.startsWith('~/') ? path.join(this.home, p.slice(2)) : path.resolve(p))).filter((p) => existsSync(p));
    const policy = defaultSandboxPolicy({ roots: [...roots, ...extra], home: this.home, extraProtected: s.extraProtected, extraHidden: s.extraHidden, network, env: this.env });
    const note = `sandboxed (${availability.kind}): writes only inside the workspace, protected files read-only, credentials hidden, network ${network ? 'on (rule network)' : 'off'}`;
    return { sandboxed: true, sandbox: this.sandbox, policy, note };
  }
}
