import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { SessionEvent } from '../../../src/core/session/events';
import { BURST, PROMPTS_PER_BURST, eventFor } from './crash-child';
import { EventMaker } from './fixtures';
import { openStore, tempDir } from './helpers';
import { encodeRecord, FRAGMENT_TERMINATOR } from '../../../src/core/store/record';

/** A line as the store writes it (checksummed, see record.ts). */
const line = (e: SessionEvent) => `${encodeRecord(e)}\n`;

async function seedLog(id: string, content: string): Promise<{ dir: string; file: string }> {
  const dir = await tempDir();
  await mkdir(join(dir, 'sessions'));
  const file = join(dir, 'sessions', `${id}.jsonl`);
  await writeFile(file, content);
  return { dir, file };
}

void describe('JsonlSessionStore recovery', () => {
  void test('a torn last line is dropped with a warning, never rewritten, and new lines start on a fresh line', async () => {
    const ev = new EventMaker('s');
    const good = [ev.created(), ev.next({ type: 'session.renamed', title: 'x' }), ev.next({ type: 'session.paused' })];
    const original = good.map(line).join('') + '{"seq":4,"type":"session.res';
    const { dir, file } = await seedLog('s', original);
    const { store, warnings } = openStore(dir);
    const r = await store.load('s');
    assert.deepEqual(r.events, good);
    assert.deepEqual(r.warnings.map((w) => [w.code, w.line]), [['torn_tail', 4]]);
    assert.equal(r.readOnly, false);
    assert.equal(await readFile(file, 'utf8'), original, 'load does not touch the file');
    const tail = await store.loadTail('s', 2);
    assert.deepEqual(tail.events, good.slice(-2));
    assert.deepEqual(tail.warnings.map((w) => w.code), ['torn_tail']);

    const next = ev.next({ type: 'session.resumed' });
    store.append('s', next);
    await store.flush('s');
    const bytes = await readFile(file, 'utf8');
    assert.equal(bytes, `${original}${FRAGMENT_TERMINATOR}${line(next)}`, 'old bytes intact, fragment terminated, new line whole');
    await store.close();
    assert.deepEqual(warnings, [], 'nothing asynchronous to report');

    const again = openStore(dir).store;
    const r2 = await again.load('s');
    assert.deepEqual(r2.events, [...good, next]);
    assert.deepEqual(r2.warnings, [], 'the terminated fragment is skipped: it was reported when found, and is not damage');
    assert.equal(r2.damaged, undefined);
    await again.close();
    await rm(dir, { recursive: true, force: true });
  });

  void test('an unterminated last line that parses is kept, and terminated before the next append', async () => {
    const ev = new EventMaker('s');
    const a = ev.created();
    const b = ev.next({ type: 'session.paused' });
    const { dir, file } = await seedLog('s', line(a) + JSON.stringify(b));
    const { store } = openStore(dir);
    assert.deepEqual((await store.load('s')).events, [a, b]);
    const c = ev.next({ type: 'session.resumed' });
    store.append('s', c);
    await store.close();
    assert.equal(await readFile(file, 'utf8'), `${line(a)}${JSON.stringify(b)}\n${line(c)}`, 'a whole record is ended with a plain newline');
    const again = openStore(dir).store;
    assert.deepEqual((await again.load('s')).events, [a, b, c]);
    await again.close();
    await rm(dir, { recursive: true, force: true });
  });

  void test('corrupt middle lines are skipped and reported by line number; everything else is restored', async () => {
    const ev = new EventMaker('s');
    const e1 = ev.created();
    const e2 = ev.next({ type: 'session.renamed', title: 'two' });
    const e3 = ev.next({ type: 'session.paused' });
    const e4 = ev.next({ type: 'session.resumed' });
    const original = line(e1) + line(e2) + '{{{ not json\n' + '{"no":"seq"}\n' + '\n' + line(e3) + '\u0000\u0000\u0000\n' + line(e4);
    const { dir, file } = await seedLog('s', original);
    const { store } = openStore(dir);
    const r = await store.load('s');
    assert.deepEqual(r.events, [e1, e2, e3, e4]);
    assert.deepEqual(r.warnings.map((w) => [w.code, w.line]), [['damaged', undefined], ['corrupt_line', 3], ['corrupt_line', 4], ['corrupt_line', 7]]);
    assert.equal(r.damaged?.unreadableRecords, 3);
    assert.deepEqual((await store.loadTail('s', 3)).events, [e2, e3, e4]);
    const e5 = ev.next({ type: 'session.renamed', title: 'five' });
    store.append('s', e5);
    await store.close();
    assert.equal(await readFile(file, 'utf8'), original + line(e5), 'damaged log only ever appended to');
    await rm(dir, { recursive: true, force: true });
  });

  void test('a log that is all garbage loads as empty with warnings instead of throwing', async () => {
    const { dir, file } = await seedLog('s', '\u00ff\u00fe garbage\nmore garbage');
    const { store } = openStore(dir);
    const r = await store.load('s');
    assert.deepEqual(r.events, []);
    assert.deepEqual(r.warnings.map((w) => w.code), ['damaged', 'corrupt_line', 'torn_tail']);
    assert.match(r.damaged?.reason ?? '', /None of the session log's records/);
    await store.close();
    assert.equal(await readFile(file, 'utf8'), '\u00ff\u00fe garbage\nmore garbage');
    await rm(dir, { recursive: true, force: true });
  });

  void test('a real crash (SIGKILL while appending) loses nothing that was flushed; the next process takes over', async () => {
    const dir = await tempDir();
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'crash-child.ts'), dir], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, STORE_CRASH_CHILD: '1' } });
    let durable = 0;
    await new Promise<void>((resolve, reject) => {
      let text = '';
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => {
        text += chunk;
        const lines = text.split('\n');
        text = lines.pop() ?? '';
        for (const l of lines) durable = Math.max(durable, Number(l));
        if (durable >= 20000 && child.exitCode === null && !child.killed) child.kill('SIGKILL');
      });
      child.on('exit', () => (durable >= 20000 ? resolve() : reject(new Error(`child exited early at ${durable}`))));
    });
    const { store } = openStore(dir);
    const r = await store.load('crash');
    assert.ok(r.warnings.every((w) => w.code === 'torn_tail'), JSON.stringify(r.warnings));
    assert.equal(r.readOnly, false, 'the dead child\'s lock was taken over');
    const seqs = r.events.map((e) => e.seq);
    const last = seqs[seqs.length - 1];
    assert.ok(last >= durable, `restored up to ${last}, flushed ${durable}`);
    for (let i = 1; i < seqs.length; i++) assert.ok(seqs[i] > seqs[i - 1], 'strictly increasing, no duplicates');
    const bySeq = new Map(r.events.map((e) => [e.seq, e]));
    const deltas = new Map<string, string>();
    for (const e of r.events) if (e.type === 'message.delta') deltas.set(e.messageId, (deltas.get(e.messageId) ?? '') + e.text);
    for (let seq = 1; seq <= last; seq++) {
      const slot = (seq - 1) % BURST;
      if (slot < PROMPTS_PER_BURST) assert.deepEqual(bySeq.get(seq), eventFor(seq), `prompt event ${seq} restored`);
      else if (slot === BURST - 1 && seq <= last - BURST) {
        const k = Math.floor((seq - 1) / BURST);
        let want = '';
        for (let s = seq - (BURST - PROMPTS_PER_BURST) + 1; s <= seq; s++) want += `d${s};`;
        assert.equal(deltas.get(`m${k}`), want, `deltas of burst ${k} intact`);
      }
    }
    const next = { ...eventFor(last + 1) };
    store.append('crash', next);
    await store.close();
    const reread = openStore(dir).store;
    const r2 = await reread.load('crash');
    assert.deepEqual(r2.events[r2.events.length - 1], next, 'appends after the crash land on their own line');
    await reread.close();
    await rm(dir, { recursive: true, force: true });
  });

  void test('a log locked by another live process opens read-only; after that process dies it is taken over', async () => {
    const dir = await tempDir();
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'crash-child.ts'), dir, 'hold'], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, STORE_CRASH_CHILD: '1' } });
    const exited = new Promise((r) => child.on('exit', r));
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => { if (d.toString().includes('ready')) resolve(); });
        child.on('exit', () => reject(new Error('holder exited early')));
      });
      const { store, warnings } = openStore(dir);
      const r = await store.load('held');
      assert.equal(r.readOnly, true);
      assert.equal(r.events.length, 1);
      assert.deepEqual(warnings.map((w) => w.code), ['locked']);
      await store.close();
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    const { store, warnings } = openStore(dir);
    const r = await store.load('held');
    assert.equal(r.readOnly, false);
    assert.deepEqual(warnings, []);
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });
});
