/** `events.since`: replay for a reconnecting webview; also (re)subscribes it to the session's live events. */
import type { ResultOf } from '../../../shared/protocol';
import { maxSeq, type HandlerMap } from './types';

/** Beyond this many events the webview is told to re-open the session instead (a snapshot is cheaper). */
export const MAX_REPLAY_EVENTS = 5_000;

export const eventHandlers: HandlerMap<'events.since'> = {
  'events.since': async (p, ctx) => ctx.connection.subscribe<ResultOf<'events.since'>>(p.sessionId, async () => {
    const events = await ctx.manager.eventsSince(p.sessionId, p.afterSeq);
    if (events.length > MAX_REPLAY_EVENTS) {
      // The webview re-opens (sessions.open), which sets the live position itself.
      return { value: { events: [], reset: true }, upTo: Number.MAX_SAFE_INTEGER };
    }
    return { value: { events }, upTo: maxSeq(events, p.afterSeq) };
  }, ctx),
};
