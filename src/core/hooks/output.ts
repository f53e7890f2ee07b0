/**
 * What a hook's run means, per Claude Code's reference: exit code 0 (stdout may be JSON; for
 * UserPromptSubmit and SessionStart plain stdout is context), 2 (a blocking error: stderr is the
 * reason) or anything else (a non-blocking error: the work goes on), and the JSON fields
 * `continue`/`stopReason`, `decision: "block"`/`reason`, `hookSpecificOutput.permissionDecision`
 * (+ `permissionDecisionReason`), `hookSpecificOutput.additionalContext`, and the legacy
 * PreToolUse `decision: "approve" | "block"`.
 */
import { z } from 'zod';
import type { HookProcessResult } from './runner';
import type { HookEventName, HookOutcome } from './types';

/** Longest context a hook adds, characters (Claude Code caps additionalContext the same). */
export const HOOK_CONTEXT_CAP = 10_000;
/** Longest reason or message kept, characters. */
const MESSAGE_CAP = 2_000;

const outputSchema = z.looseObject({
  continue: z.boolean().optional(),
  stopReason: z.string().optional(),
  suppressOutput: z.boolean().optional(),
  systemMessage: z.string().optional(),
  decision: z.enum(['block', 'approve']).optional(),
  reason: z.string().optional(),
  hookSpecificOutput: z.looseObject({
    hookEventName: z.string().optional(),
    permissionDecision: z.enum(['allow', 'deny', 'ask']).optional(),
    permissionDecisionReason: z.string().optional(),
    additionalContext: z.string().optional(),
  }).optional(),
});

/** One run's meaning. */
export interface HookVerdict {
  outcome: HookOutcome;
  /** For the card / marker: the reason given, or the stderr tail of a failure. */
  message?: string;
  /** PreToolUse: the permission decision. */
  permission?: 'allow' | 'deny' | 'ask';
  /** The reason of a block or decision (PreToolUse deny/ask, PostToolUse/Stop block: told to the model; UserPromptSubmit: to the user). */
  reason?: string;
  /** Text for the model's context. */
  context?: string;
  /** `continue: false`: stop the work, with this reason for the user. */
  stop?: string;
}

const cap = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n)}… [cut]` : s);
const tail = (s: string): string => { const t = s.trim(); return t.length > MESSAGE_CAP ? `…${t.slice(-MESSAGE_CAP)}` : t; };

/** Interprets a finished run of a hook for `event`. */
export function interpretHookRun(event: HookEventName, run: HookProcessResult, timeoutSec: number): HookVerdict {
  if (run.timedOut) return { outcome: 'timeout', message: `timed out after ${timeoutSec} s and was killed` };
  if (run.startError) return { outcome: 'error', message: `could not start: ${run.startError}` };
  if (run.cancelled) return { outcome: 'error', message: 'cancelled' };
  if (run.exitCode === 2) {
    const reason = tail(run.stderr) || 'blocked by the hook (exit code 2)';
    switch (event) {
      case 'PreToolUse': return { outcome: 'deny', permission: 'deny', reason, message: reason };
      case 'PostToolUse': case 'Stop': case 'UserPromptSubmit': return { outcome: 'blocked', reason, message: reason };
      case 'SessionStart': return { outcome: 'error', message: reason };
    }
  }
  if (run.exitCode !== 0) {
    const why = run.exitCode === null ? `killed by ${run.signal ?? 'a signal'}` : `exit code ${run.exitCode}`;
    const err = tail(run.stderr);
    return { outcome: 'error', message: err ? `${why}: ${err}` : why };
  }
  const out = run.stdout.trim();
  let json: unknown;
  if (out.startsWith('{')) {
    try { json = JSON.parse(out); } catch { json = undefined; }
  }
  if (json === undefined) {
    // Plain stdout is context for these two; elsewhere it is only for the transcript.
    if (out && (event === 'UserPromptSubmit' || event === 'SessionStart')) return { outcome: 'context', context: cap(out, HOOK_CONTEXT_CAP) };
    return { outcome: 'ok' };
  }
  const parsed = outputSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { outcome: 'error', message: `its JSON output is not valid (${issue ? `${issue.path.join('.') || 'output'}: ${issue.message}` : 'invalid'})` };
  }
  return fromJson(event, parsed.data);
}

function fromJson(event: HookEventName, o: z.infer<typeof outputSchema>): HookVerdict {
  const specific = o.hookSpecificOutput;
  const context = specific?.additionalContext ? cap(specific.additionalContext, HOOK_CONTEXT_CAP) : undefined;
  const withContext = context ? { context } : {};
  if (o.continue === false) {
    const stop = cap(o.stopReason ?? 'the hook stopped the work', MESSAGE_CAP);
    return { outcome: event === 'PreToolUse' ? 'deny' : 'blocked', stop, message: stop, reason: stop, ...(event === 'PreToolUse' ? { permission: 'deny' as const } : {}) };
  }
  const reason = o.reason ? cap(o.reason, MESSAGE_CAP) : undefined;
  switch (event) {
    case 'PreToolUse': {
      const legacy = o.decision === 'approve' ? 'allow' : o.decision === 'block' ? 'deny' : undefined;
      const permission = specific?.permissionDecision ?? legacy;
      if (!permission) return { outcome: 'ok' };
      const why = specific?.permissionDecision ? specific.permissionDecisionReason : o.reason;
      const r = why ? cap(why, MESSAGE_CAP) : undefined;
      return { outcome: permission, permission, ...(r ? { reason: r, message: r } : {}) };
    }
    case 'PostToolUse': case 'UserPromptSubmit': case 'Stop':
      if (o.decision === 'block') {
        const r = reason ?? 'blocked by the hook';
        return { outcome: 'blocked', reason: r, message: r, ...withContext };
      }
      return context ? { outcome: 'context', context } : { outcome: 'ok' };
    case 'SessionStart':
      return context ? { outcome: 'context', context } : { outcome: 'ok' };
  }
}
