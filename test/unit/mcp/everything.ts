import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** bin of the official reference server (npm @modelcontextprotocol/server-everything). */
export const EVERYTHING = join(dirname(createRequire(import.meta.url).resolve('@modelcontextprotocol/server-everything/package.json')), 'dist', 'index.js');

/** A free loopback TCP port (bound, read, released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface EverythingHttp {
  url: string;
  port: number;
  child: ChildProcess;
  /** SIGKILL, resolves once the process is gone (no graceful shutdown: a crash). */
  kill(): Promise<void>;
}

/**
 * Starts server-everything with Streamable HTTP (`node dist/index.js streamableHttp`, port from
 * the PORT env var, as dist/transports/streamableHttp.js reads it); resolves once it listens.
 */
export async function startEverythingHttp(port?: number): Promise<EverythingHttp> {
  const p = port ?? await freePort();
  const child = spawn(process.execPath, [EVERYTHING, 'streamableHttp'], { env: { ...process.env, PORT: String(p) }, stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  await new Promise<void>((resolve, reject) => {
    let err = '';
    child.stderr!.setEncoding('utf8');
    const onData = (s: string): void => { err += s; if (/listening on port/.test(err)) { child.stderr!.off('data', onData); resolve(); } };
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server-everything exited with ${code}: ${err}`)));
  });
  child.stderr!.resume();
  return {
    url: `http://127.0.0.1:${p}/mcp`, port: p, child,
    kill: async () => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); await exited; },
  };
}
