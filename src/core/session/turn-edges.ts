/**
 * The turn's edges as the TurnHooks seams see them (call-hooks.ts): SessionStart on a session's
 * first turn and UserPromptSubmit before the first request (a block ends the turn), Stop when
 * the model answered without tool calls (it may make the turn go on). A failing seam is logged
 * and has no say. What a seam adds to the model's history it records itself (hook.ran `context`,
 * folded into the history by reducer.ts).
 */
import { toAgentError } from '../base/errors';
import type { SessionKnowledge } from './types';
import type { ActiveTurn, TurnHost } from './turn-host';
import type { TurnHooks } from './call-hooks';

async function each<T>(host: TurnHost, what: string, call: (h: TurnHooks) => Promise<T | undefined> | undefined): Promise<T[]> {
  const out: T[] = [];
  for (const h of host.env.turnHooks ?? []) {
    try {
      const r = await call(h);
      if (r !== undefined) out.push(r);
    } catch (e) {
      host.env.logger.warn(`turn seam failed (${what}): ${toAgentError(e).message}`);
    }
  }
  return out;
}

/** Whether this is the session's first turn (one user message in its transcript). */
function firstTurn(host: TurnHost): boolean {
  return host.data.records.filter((r) => r.kind === 'user').length <= 1;
}

/** Runs SessionStart (first turn) and UserPromptSubmit; the block reason when the prompt must not go to the model. */
export async function turnStarts(host: TurnHost, turn: ActiveTurn): Promise<string | undefined> {
  if ((host.env.turnHooks ?? []).length === 0) return undefined;
  if (firstTurn(host)) await each(host, 'session start', (h) => h.sessionStarted?.(host, turn));
  const said = await each(host, 'prompt submitted', (h) => h.promptSubmitted?.(host, turn));
  return said.find((s) => s.block !== undefined)?.block;
}

/** Runs Stop: true when a seam made the turn go on (its text is already the next user message). */
export async function turnGoesOn(host: TurnHost, turn: ActiveTurn): Promise<boolean> {
  if ((host.env.turnHooks ?? []).length === 0) return false;
  const said = await each(host, 'stopping', (h) => h.stopping?.(host, turn));
  return said.some((s) => s.continueWith !== undefined);
}

/** The hooks the seams list for the session's knowledge (undefined: none lists any). */
export async function hookListing(host: TurnHost): Promise<SessionKnowledge['hooks']> {
  if ((host.env.turnHooks ?? []).length === 0) return undefined;
  const lists = await each(host, 'listing', (h) => h.listing?.(host));
  const all = lists.flat();
  return all.length > 0 ? all : undefined;
}
