// The first "window" of the two-windows tests: a real SessionManager over a JsonlSessionStore
// in its own process (so pids differ), talking to the parent's fake LLM over loopback. Driven by
// JSON commands on stdin, one per line ({ n, op, ... }); each gets one reply line { n, ok, ... }.
// Writer changes are printed as { writer: { sessionId, pid } } (pid null: this window writes).
import { createInterface } from 'node:readline';
import type { FakeLlm } from '../../fake-llm';
import { toAgentError } from '../../../src/core/base/errors';
import { JsonlSessionStore } from '../../../src/core/store/jsonl-store';
import { makeManager } from './harness';

interface Command { n: number; op: string; id?: string; text?: string; approvalId?: string }

async function main(dir: string): Promise<void> {
  const fake = { openaiBaseUrl: process.env.FAKE_OPENAI_URL, anthropicBaseUrl: process.env.FAKE_ANTHROPIC_URL } as FakeLlm;
  const store = new JsonlSessionStore({ directory: dir, handover: JSON.parse(process.env.HANDOVER ?? '{}') as object });
  const manager = await makeManager(fake, store);
  manager.onDidChangeWriter((c) => process.stdout.write(`${JSON.stringify({ writer: { sessionId: c.sessionId, pid: c.readOnlyBy?.pid ?? null } })}\n`));
  manager.onEvent((e) => { if (e.type === 'approval.requested') process.stdout.write(`${JSON.stringify({ approval: e.approval.id })}\n`); });
  process.stdout.write('ready\n');
  for await (const line of createInterface({ input: process.stdin })) {
    const c = JSON.parse(line) as Command;
    const reply = (body: object): void => { process.stdout.write(`${JSON.stringify({ n: c.n, ok: true, ...body })}\n`); };
    try {
      switch (c.op) {
        case 'create': reply({ id: (await manager.create({ title: 'from window A' })).id }); break;
        case 'send': await manager.send(c.id!, c.text!); await manager.whenIdle(c.id!); reply({}); break;
        case 'start': reply(await manager.send(c.id!, c.text!)); break;
        case 'readOnly': reply({ by: manager.readOnlyBy(c.id!) ?? null }); break;
        case 'snapshot': reply({ snapshot: manager.get(c.id!) ?? await manager.open(c.id!) }); break;
        case 'approve': await manager.resolveApproval(c.id!, c.approvalId!, { decision: 'approve' }); reply({}); break;
        default: throw new Error(`unknown op ${c.op}`);
      }
    } catch (e) {
      const err = toAgentError(e);
      process.stdout.write(`${JSON.stringify({ n: c.n, ok: false, code: err.code, message: err.message })}\n`);
    }
  }
}

if (process.env.TWO_WINDOWS_CHILD === '1' && process.argv[2]) void main(process.argv[2]);
