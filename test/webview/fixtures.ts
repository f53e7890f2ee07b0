/** A busy, representative webview state (every badge, card and icon kind) for icon and theme tests. */
import type { HostMessage } from '../../src/shared/protocol';
import type { PendingApprovalInfo, SessionKnowledge } from '../../src/shared/session';
import type { TranscriptRecord } from '../../src/shared/transcript';
import type { SessionEvent, SessionEventBody } from '../../src/shared/events';
import { config, opened, snapshot, snapshotMessage, withState } from './harness';

export const knowledge: SessionKnowledge = {
  rules: [
    { id: 'agents:AGENTS.md', kind: 'agents', relativePath: 'AGENTS.md', scope: '', size: 2048, chars: 2048, truncated: false, enabled: true },
    { id: 'agents:src/AGENTS.md', kind: 'agents', relativePath: 'src/AGENTS.md', scope: 'src', size: 900, chars: 900, truncated: false, enabled: true },
  ],
  skills: [
    { name: 'review', description: 'Reviews a diff', source: 'workspace', path: '/ws/.agents/skills/review/SKILL.md', enabled: true, shadowed: false },
    { name: 'review', description: 'Mine', source: 'user', path: '/home/u/skills/review/SKILL.md', enabled: true, shadowed: true },
  ],
};

export const approval: PendingApprovalInfo = {
  id: 'ap1', sessionId: 'a', callId: 'c3', toolName: 'edit_file', summary: 'edit src/greet.js (1 replacement)',
  args: { path: 'src/greet.js' }, suggestedRule: 'edit_file(src/**)', reason: 'In ask mode, edits ask for approval.', requestedAt: 5, diff: '--- a\n+++ b\n',
};

const entries: TranscriptRecord[] = [
  { kind: 'user', key: 'u1', text: 'Make the greeting shorter and run the tests', seq: 2 },
  {
    kind: 'assistant', key: 'm1', seq: 3, streaming: false, thinking: 'The greeting lives in src/greet.js.',
    text: 'I will read the file first, then edit it. See [the docs](https://example.com/docs):\n\n```js\nmodule.exports = { greet };\n```',
  },
  {
    kind: 'tool', key: 'tool:c1', seq: 3, callId: 'c1', name: 'read_file', args: { path: 'src/greet.js' }, status: 'done', output: '',
    result: 'function greet(name) { … }', resultId: 't1', permission: { decision: 'allow', source: 'mode ask: reads are allowed' },
  },
  { kind: 'tool', key: 'tool:c2', seq: 5, callId: 'c2', name: 'run_command', args: { command: 'npm test' }, status: 'error', output: '', result: 'exit code 1: 2 tests failed', resultId: 't2' },
  { kind: 'tool', key: 'tool:c3', seq: 5, callId: 'c3', name: 'edit_file', args: { path: 'src/greet.js' }, status: 'awaiting_approval', output: '', approval },
];

/** Sessions Alpha (waiting, visible), its child (paused), Beta (streaming), Delta (error), Echo (done after an event). */
export function richSnapshot(): HostMessage {
  const a = withState(snapshot('a', {
    title: 'Alpha', lastSeq: 10, pendingApprovals: [approval], knowledge,
    queue: [{ id: 'p9', text: 'then update the README', queuedAt: 1 }],
    config: { ...config, disabledRuleIds: [] },
  }), 'awaiting_approval');
  const c = withState(snapshot('c', { title: 'Child task', parentId: 'a' }), 'paused');
  const b = withState(snapshot('b', { title: 'Beta' }), 'running');
  const d = withState(snapshot('d', { title: 'Delta' }), 'error');
  const e = snapshot('e', { title: 'Echo', lastSeq: 3 });
  const msg = snapshotMessage([a, c, b, d, e], [opened(a, entries)], 'a');
  if (msg.kind === 'snapshot') msg.host.notices = [{ id: 'info', severity: 'info', message: 'A local model is configured: no API key needed.' }];
  return msg;
}

export function ev(sessionId: string, seq: number, body: SessionEventBody): SessionEvent {
  return { ...body, seq, ts: seq, sessionId } as SessionEvent;
}
