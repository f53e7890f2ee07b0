/**
 * Windows device names (`CON`, `NUL`, `COM1`, `CON.jsonl` …) are refused wherever the protocol
 * carries an engine id (issue 11): they pass the character whitelist but name a device on
 * Windows, so a session id like that would have its history written nowhere.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { PROTOCOL_VERSION, type MethodName } from '../../../src/shared/protocol';
import { methodParamSchemas, parseWebviewMessage } from '../../../src/shared/protocol-schema';
import { isWindowsDeviceName } from '../../../src/shared/device-names';

const DEVICE_IDS = ['CON', 'con', 'NUL', 'Aux', 'PRN', 'COM1', 'com9', 'LPT1', 'lpt9', 'COM0', 'CON.jsonl', 'nul.txt', 'CON.', 'AUX..', 'COM1:x'];
const LOOKALIKES = ['CONSOLE', 'COM10', 'LPT', 'con_1', 'nullish', 'xCON', 's-1', 'a.CON'];

function request(method: MethodName, params: unknown): unknown {
  return { kind: 'request', id: 'r1', method, params };
}

function bad(raw: unknown, what: string, message: RegExp = /device name/): void {
  const r = parseWebviewMessage(raw);
  assert.equal(r.ok, false, `${what} must be refused`);
  if (!r.ok) {
    assert.equal(r.error.code, 'bad_request');
    assert.match(r.error.message, message, what);
  }
}

/** Every method whose params name a session, with the rest of its params valid. */
const withSession: Array<[MethodName, Record<string, unknown>]> = [
  ['sessions.open', {}], ['sessions.transcript', {}], ['sessions.rename', { title: 'x' }], ['sessions.delete', {}],
  ['sessions.send', { text: 'hi' }], ['sessions.removeQueued', { promptId: 'p_1' }], ['sessions.pause', {}], ['sessions.resume', {}],
  ['sessions.cancel', {}], ['sessions.compact', {}], ['sessions.updateConfig', { patch: { mode: 'ask' } }],
  ['approvals.resolve', { approvalId: 'a1', decision: 'approve' }], ['approvals.viewDiff', { approvalId: 'a1' }],
  ['events.since', { afterSeq: 0 }], ['links.open', { href: 'https://example.com' }], ['sessions.ask', { question: 'why?' }],
  ['knowledge.get', {}],
];

void describe('protocol ids: Windows device names', () => {
  void test('isWindowsDeviceName: any case, with an extension, trailing dots or spaces, a stream suffix', () => {
    for (const id of [...DEVICE_IDS, 'CON ', 'nul . txt', 'COM¹', 'CONIN$', 'conout$']) assert.equal(isWindowsDeviceName(id), true, JSON.stringify(id));
    for (const id of LOOKALIKES) assert.equal(isWindowsDeviceName(id), false, id);
  });

  void test('the table covers every method that takes a sessionId', () => {
    for (const [method, extra] of withSession) {
      const r = parseWebviewMessage(request(method, { sessionId: 's-1', ...extra }));
      assert.ok(r.ok, `${method} fixture must be valid: ${r.ok ? '' : r.error.message}`);
    }
    assert.ok(withSession.length >= Object.keys(methodParamSchemas).filter((m) => m.startsWith('sessions.') && m !== 'sessions.list' && m !== 'sessions.create').length);
  });

  for (const [method, extra] of withSession) {
    void test(`${method} refuses a device name as sessionId`, () => {
      for (const id of DEVICE_IDS) bad(request(method, { sessionId: id, ...extra }), `${method} sessionId ${id}`);
    });
  }

  void test('approvalId, promptId and parentId refuse device names', () => {
    for (const id of DEVICE_IDS) {
      bad(request('approvals.resolve', { sessionId: 's-1', approvalId: id, decision: 'approve' }), `approvalId ${id}`);
      bad(request('approvals.viewDiff', { sessionId: 's-1', approvalId: id }), `viewDiff approvalId ${id}`);
      bad(request('sessions.removeQueued', { sessionId: 's-1', promptId: id }), `promptId ${id}`);
      bad(request('sessions.create', { parentId: id }), `parentId ${id}`);
    }
  });

  void test('ready (visibleSessionId) and visible refuse device names', () => {
    for (const id of DEVICE_IDS) {
      bad({ kind: 'ready', protocolVersion: PROTOCOL_VERSION, visibleSessionId: id }, `visibleSessionId ${id}`);
      bad({ kind: 'visible', sessionId: id }, `visible ${id}`);
    }
  });

  void test('look-alikes are still accepted', () => {
    for (const id of LOOKALIKES) {
      const r = parseWebviewMessage(request('sessions.cancel', { sessionId: id }));
      assert.ok(r.ok, `${id}: ${r.ok ? '' : r.error.message}`);
    }
  });
});
