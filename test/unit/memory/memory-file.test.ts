import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseMemory, serialiseMemory } from '../../../src/core/memory/format';
import { MemoryStore } from '../../../src/core/memory/store';
import { isAgentError } from '../../../src/core/base/errors';
import { SecretRedactor } from '../../../src/core/base/redact';

/** A memory file as a user writes it by hand: a title, free text, headings, bullets without ids, a code block. */
const HAND_WRITTEN = [
  '# Memory',
  '',
  'Notes for the agent. Keep them short.',
  '',
  '- The repo uses pnpm, not npm',
  '',
  '## Build',
  '* Run `pnpm build` before the webview tests <!-- mem:b1 2026-11-30T10:00:00Z -->',
  '- CI runs on Node 22',
  '',
  '```sh',
  '- not an entry: inside a code block',
  '```',
  '',
  '## Style',
  '- Tabs, not spaces <!-- mem:s1 -->',
  '- Copied line <!-- mem:s1 -->',
  '',
].join('\n');

async function tempFile(text?: string): Promise<{ file: string; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'as-memory-'));
  const file = join(dir, 'memory.md');
  if (text !== undefined) await writeFile(file, text);
  return { file, dir };
}

void describe('memory file format', () => {
  void test('parses headings as topics, bullets as entries, skips code blocks; repeated ids become fresh', () => {
    const doc = parseMemory(HAND_WRITTEN);
    assert.deepEqual(doc.entries.map((e) => [e.text, e.topic ?? null, e.fresh]), [
      ['The repo uses pnpm, not npm', null, true],
      ['Run `pnpm build` before the webview tests', 'Build', false],
      ['CI runs on Node 22', 'Build', true],
      ['Tabs, not spaces', 'Style', false],
      ['Copied line', 'Style', true],
    ]);
    assert.equal(doc.entries[1].id, 'b1');
    assert.equal(doc.entries[1].createdAt, Date.parse('2026-11-30T10:00:00Z'));
    assert.notEqual(doc.entries[4].id, 's1');
    assert.equal(new Set(doc.entries.map((e) => e.id)).size, 5, 'ids unique');
  });

  void test('a write keeps every other byte; id-less bullets get ids without losing their text', async () => {
    const { file, dir } = await tempFile(HAND_WRITTEN);
    const store = new MemoryStore(file, { now: () => Date.parse('2026-12-01T12:00:00Z') });
    const w = await store.remember('Release notes go in CHANGELOG.md', 'Build');
    assert.equal(w.action, 'added');
    const after = await readFile(file, 'utf8');
    const before = HAND_WRITTEN.split('\n');
    const lines = after.split('\n');
    // One line added, right after the Build section's last bullet.
    assert.equal(lines.length, before.length + 1);
    assert.equal(lines[9], `- Release notes go in CHANGELOG.md <!-- mem:${w.entry.id} 2026-12-01T12:00:00Z -->`);
    const rest = [...lines.slice(0, 9), ...lines.slice(10)];
    rest.forEach((l, i) => {
      const idLess = /^[-*] /.test(before[i]) && !before[i].includes('mem:') && !before[i].includes('code block');
      if (idLess || before[i] === '- Copied line <!-- mem:s1 -->') {
        assert.ok(l.startsWith(before[i].replace(/ <!-- mem:s1 -->$/, '')), `text kept: ${before[i]}`);
        assert.match(l, /<!-- mem:[0-9a-f]{8} -->$/);
      } else {
        assert.equal(l, before[i], `line ${i} byte-identical`);
      }
    });
    // Ids are stable from now on: a second read gives the same ids, a second write changes only its line.
    const ids = (await store.list()).map((e) => e.id);
    assert.deepEqual((await store.list()).map((e) => e.id), ids);
    const snapshot = await readFile(file, 'utf8');
    await store.forget(w.entry.id);
    const removed = await readFile(file, 'utf8');
    assert.equal(removed, snapshot.replace(`${lines[9]}\n`, ''));
    assert.deepEqual((await store.list()).map((e) => e.id), ids.filter((x) => x !== w.entry.id));
    await rm(dir, { recursive: true, force: true });
  });

  void test('CRLF and a missing final newline are kept', () => {
    const text = '# Memory\r\n\r\n- one <!-- mem:a -->\r\n- two <!-- mem:b -->';
    assert.equal(serialiseMemory(parseMemory(text)), text);
  });

  void test('a new file, a topic that does not exist yet, and an entry without topic in a file that starts with one', async () => {
    const { file, dir } = await tempFile();
    const store = new MemoryStore(file, { now: () => 0 });
    const a = await store.remember('first fact');
    const b = await store.remember('second fact about lint', 'Lint');
    assert.equal(await readFile(file, 'utf8'),
      `# Memory\n\n- first fact <!-- mem:${a.entry.id} 1970-01-01T00:00:00Z -->\n\n## Lint\n\n- second fact about lint <!-- mem:${b.entry.id} 1970-01-01T00:00:00Z -->\n`);
    await writeFile(file, '## Only topic\n- x entry\n');
    const c = await store.remember('untopical');
    assert.equal(await readFile(file, 'utf8'), `# Memory\n\n- untopical <!-- mem:${c.entry.id} 1970-01-01T00:00:00Z -->\n\n## Only topic\n- x entry <!-- mem:${(await store.list())[1].id} -->\n`);
    await rm(dir, { recursive: true, force: true });
  });

  void test('remember updates a near-duplicate instead of adding twice; multi-line text becomes one line', async () => {
    const { file, dir } = await tempFile();
    const store = new MemoryStore(file);
    const a = await store.remember('The tests run with node --test and tsx');
    const b = await store.remember('The tests run with\nnode --test and tsx loader');
    assert.equal(b.action, 'updated');
    assert.equal(b.entry.id, a.entry.id);
    assert.equal(b.previousText, 'The tests run with node --test and tsx');
    assert.deepEqual((await store.list()).map((e) => e.text), ['The tests run with node --test and tsx loader']);
    await rm(dir, { recursive: true, force: true });
  });

  void test('two concurrent writers (two stores on one file, like two windows) lose nothing', async () => {
    const { file, dir } = await tempFile('# Memory\n\nMy own notes stay.\n');
    const one = new MemoryStore(file);
    const two = new MemoryStore(file);
    const writes = Array.from({ length: 20 }, (_, i) => ((i % 2 === 0 ? one : two).remember(`distinct fact number ${i} word${i}x`, i % 3 === 0 ? 'Topic A' : undefined)));
    const done = await Promise.all(writes);
    assert.ok(done.every((w) => w.action === 'added'));
    const texts = (await one.list()).map((e) => e.text).sort();
    assert.equal(texts.length, 20);
    assert.match(await readFile(file, 'utf8'), /My own notes stay\./);
    assert.deepEqual((await readdir(dir)).sort(), ['memory.md'], 'no lock or temp file left');
    await rm(dir, { recursive: true, force: true });
  });

  void test('a hand edit saved between read and write is not overwritten', async () => {
    const { file, dir } = await tempFile('# Memory\n\n- original <!-- mem:o1 -->\n');
    const store = new MemoryStore(file);
    // The editor saves while the store writes: the store re-applies its change on top of the edit.
    const w = store.remember('brand new fact');
    await writeFile(file, '# Memory\n\n- edited by hand <!-- mem:o1 -->\n');
    await w;
    const texts = (await store.list()).map((e) => e.text);
    assert.ok(texts.includes('brand new fact'));
    assert.equal(texts.length, 2);
    await rm(dir, { recursive: true, force: true });
  });

  void test('size cap: a clear error, nothing written', async () => {
    const { file, dir } = await tempFile('# Memory\n');
    const store = new MemoryStore(file, { maxChars: 200 });
    await store.remember('a short one');
    await assert.rejects(store.remember('x'.repeat(150) + ' long'), (e) => isAgentError(e) && e.code === 'storage' && /over the limit of 200/.test(e.message) && /Open Memory/.test(e.hint ?? ''));
    assert.equal((await store.list()).length, 1);
    await rm(dir, { recursive: true, force: true });
  });

  void test('secrets: a key inside a fact is redacted; a text that is mostly a secret is refused', async () => {
    const { file, dir } = await tempFile();
    const redactor = new SecretRedactor();
    redactor.add('my-known-deploy-password-1234');
    const store = new MemoryStore(file, { redactor });
    const w = await store.remember('The staging deploy uses the password my-known-deploy-password-1234 from the vault at ops/vault, ask Dana for access');
    assert.doesNotMatch(w.entry.text, /my-known-deploy/);
    assert.match(w.entry.text, /\[redacted\]/);
    await assert.rejects(store.remember('sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789'), (e) => isAgentError(e) && e.code === 'bad_request' && /mostly a secret/.test(e.message));
    await assert.rejects(store.remember('key: ghp_abcdefghijklmnopqrstuvwxyz0123456789'), (e) => isAgentError(e) && /mostly a secret/.test(e.message));
    const raw = await readFile(file, 'utf8');
    assert.doesNotMatch(raw, /sk-ant|ghp_|my-known-deploy/);
    await rm(dir, { recursive: true, force: true });
  });
});
