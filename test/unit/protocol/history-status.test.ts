import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { foldEvents, toSnapshot } from '../../../src/core/session/reducer';
import type { SessionEvent, SessionEventBody } from '../../../src/shared/events';
import type { SessionConfig } from '../../../src/shared/session';
import { foldEvent, projectionOf, type SessionProjection } from '../../../src/shared/fold';

const config: SessionConfig = {
  providerId: 'openai', providerKind: 'openai', model: 'gpt-test', autoCompact: true, autoCompactThreshold: 0.8, mode: 'ask', rules: [], maxToolRounds: 50,
};

function events(bodies: SessionEventBody[]): SessionEvent[] {
  return bodies.map((b, i) => ({ ...b, seq: i + 1, ts: 1000 + i, sessionId: 's' }) as SessionEvent);
}

/** The webview's projection after the host's snapshot of `head` (and its records), then `tail` live. */
function liveView(head: SessionEvent[], tail: SessionEvent[]): SessionProjection {
  const d = foldEvents('s', head);
  const view = projectionOf(toSnapshot(d), structuredClone(d.records));
  for (const e of tail) foldEvent(view, e);
  return view;
}

const log = events([
  { type: 'session.created', title: 'S', config },
  { type: 'warning', code: 'history_not_saved', message: 'Could not write the session log (ENOSPC); retrying.' },
  { type: 'session.renamed', title: 'still working in memory' },
  { type: 'warning', code: 'history_saved_again', message: 'The session log is being written again.' },
  { type: 'session.renamed', title: 'the note stays until the next turn' },
  { type: 'turn.started', turnId: 't', promptId: 'p', messageId: 'u', text: 'next' },
  { type: 'warning', code: 'history_not_saved', message: 'Could not write the session log (EROFS); retrying.' },
]);

void describe('history saving status: one step in both folds', () => {
  void test('failing while the latest is history_not_saved, recovered once after history_saved_again, cleared by the next turn', () => {
    const at = (n: number) => toSnapshot(foldEvents('s', log.slice(0, n))).historySaving;
    assert.equal(at(1), undefined);
    assert.deepEqual(at(2), { state: 'failing', message: 'Could not write the session log (ENOSPC); retrying.', since: 1001 });
    assert.equal(at(3)?.state, 'failing', 'other events do not change it');
    assert.deepEqual(at(4), { state: 'recovered', message: 'The session log is being written again.', since: 1003 });
    assert.equal(at(5)?.state, 'recovered');
    assert.equal(at(6), undefined, 'said once: gone with the next turn');
    assert.equal(at(7)?.state, 'failing');
  });

  void test('a live view (snapshot, then events) and a reopened view (snapshot of the whole log) agree at every point', () => {
    for (let split = 0; split <= log.length; split++) {
      for (let end = split; end <= log.length; end++) {
        const reopened = toSnapshot(foldEvents('s', log.slice(0, end))).historySaving;
        assert.deepEqual(liveView(log.slice(0, split), log.slice(split, end)).historySaving, reopened, `snapshot at ${split}, live to ${end}`);
      }
    }
  });
});
