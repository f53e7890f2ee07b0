/**
 * The fake LLM server in its own process (test/fake-llm/cli.ts), so a real model server's work
 * does not share the host's event loop in throughput figures. Scripts go in over its control API.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { Script } from '../../test/fake-llm';

export interface FakeLlmProcess {
  url: string;
  openaiBaseUrl: string;
  enqueue(scripts: Script[]): Promise<void>;
  close(): Promise<void>;
}

export async function startFakeLlmProcess(): Promise<FakeLlmProcess> {
  const cli = join(import.meta.dirname, '../../test/fake-llm/cli.ts');
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', cli, '--port', '0', '--responder', 'default'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('fake LLM process did not start')), 20_000);
    child.once('exit', (code) => reject(new Error(`fake LLM process exited (${code})`)));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /FAKE_LLM_URL=(\S+)/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]!); }
    });
  });
  return {
    url, openaiBaseUrl: `${url}/v1`,
    enqueue: async (scripts) => {
      const r = await fetch(`${url}/__control/enqueue`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ scripts }) });
      if (!r.ok) throw new Error(`enqueue failed: ${r.status} ${await r.text()}`);
    },
    close: () => new Promise((resolve) => {
      if (child.exitCode !== null) { resolve(); return; }
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}
