import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openStore, tempDir } from './helpers';

void describe('JsonlSessionStore temp files', () => {
  void test('temp files left by a crashed writer are removed when the store opens; live writers\' are not', async () => {
    const dir = await tempDir();
    const sessions = join(dir, 'sessions');
    await mkdir(sessions, { recursive: true });
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const leftovers = [
      join(dir, `index.json.${dead}-0a1b2c3d.tmp`),
      join(sessions, `s1.checkpoint.json.${dead}-deadbeef.tmp`),
      join(sessions, `s2.checkpoint.json.${process.pid}-00000001.tmp`), // our pid, but old: nobody is writing it
      join(sessions, `s4.jsonl.${dead}-0badf00d.tmp`), // a new log's first lines, never linked into place
    ];
    const kept = [
      join(dir, `index.json.${process.pid}-12345678.tmp`), // a write in progress in this process
      join(sessions, 'notes.tmp'), // not one of ours
      join(sessions, 's3.jsonl'),
      join(sessions, 's3.jsonl.tmp.jsonl'), // the log of a session whose id ends in ".jsonl.tmp"
    ];
    for (const p of [...leftovers, ...kept]) await writeFile(p, p.endsWith('.jsonl') ? '{"seq":1,"type":"session.paused"}\n' : '{"partial":');
    const old = new Date(Date.now() - 10 * 60_000);
    await utimes(leftovers[2]!, old, old);
    const { store } = openStore(dir);
    await store.list();
    const now = [...(await readdir(dir)).map((n) => join(dir, n)), ...(await readdir(sessions)).map((n) => join(sessions, n))];
    for (const p of leftovers) assert.ok(!now.includes(p), `${p} removed`);
    for (const p of kept) assert.ok(now.includes(p), `${p} kept`);
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });
});
