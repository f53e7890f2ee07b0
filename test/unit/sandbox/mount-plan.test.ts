/** The mount plan and the placeholder registry, without bwrap: what is mounted where, what is left behind. */
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { planMounts } from '../../../src/core/sandbox/mount-plan';
import { MountPointRegistry } from '../../../src/core/sandbox/mount-points';
import { tempDir } from '../tools/helpers';

void describe('mount plan', () => {
  const ws = tempDir('plan-');
  const root = ws.dir;
  after(() => ws.cleanup());

  void test('existing → read-only bind, absent → placeholder at the first missing component, ancestors pinned, outermost first', () => {
    mkdirSync(path.join(root, '.git/hooks'), { recursive: true });
    mkdirSync(path.join(root, '.cursor'));
    const plan = planMounts({
      writableRoots: [root, path.join(root, 'nested')],
      protectedPaths: [path.join(root, '.git/hooks'), path.join(root, '.git/commondir'), path.join(root, '.github/workflows'), path.join(root, '.github/skills'), path.join(root, '.cursor/rules'), '/etc/elsewhere'],
      hiddenPaths: [],
      network: false,
    });
    assert.deepEqual(plan.roots, [root], 'nested or absent roots dropped');
    assert.deepEqual(plan.mounts, [
      { kind: 'writable', path: root },
      { kind: 'pin', path: path.join(root, '.git') },
      { kind: 'pin', path: path.join(root, '.cursor') },
      { kind: 'read-only', path: path.join(root, '.github') },
      { kind: 'read-only', path: path.join(root, '.git/hooks') },
      { kind: 'read-only', path: path.join(root, '.git/commondir') },
      { kind: 'read-only', path: path.join(root, '.cursor/rules') },
    ]);
    assert.deepEqual(plan.placeholders, [
      { path: path.join(root, '.github') },
      { path: path.join(root, '.git/commondir'), content: '.\n' },
      { path: path.join(root, '.cursor/rules') },
    ]);
  });

  void test('symlinks are resolved: a protected path reached through a link, a dangling link, a hidden path holding a root', () => {
    const r2 = path.join(root, 'r2');
    mkdirSync(path.join(r2, 'real'), { recursive: true });
    symlinkSync('real', path.join(r2, '.vscode'));
    symlinkSync('missing-target', path.join(r2, '.claude'));
    const plan = planMounts({ writableRoots: [r2], protectedPaths: [path.join(r2, '.vscode'), path.join(r2, '.claude')], hiddenPaths: [root], network: false });
    assert.deepEqual(plan.mounts.map((m) => [m.kind, path.relative(r2, m.path)]), [['writable', ''], ['read-only', 'real'], ['read-only', 'missing-target']]);
    assert.deepEqual(plan.placeholders, [{ path: path.join(r2, 'missing-target') }]);
  });
});

void describe('placeholder registry', () => {
  const ws = tempDir('reg-');
  after(() => ws.cleanup());

  void test('shared by concurrent leases, removed when the last is released, never when filled', () => {
    const journal = path.join(ws.dir, 'journal');
    const reg = new MountPointRegistry(journal);
    const a = path.join(ws.dir, 'a');
    const file = path.join(ws.dir, 'commondir');
    const one = reg.acquire([{ path: a }, { path: file, content: '.\n' }]);
    const two = reg.acquire([{ path: a }]);
    assert.equal(readFileSync(file, 'utf8'), '.\n');
    assert.deepEqual(JSON.parse(readFileSync(path.join(journal, `${process.pid}.json`), 'utf8')).map((e: { path: string }) => e.path).sort(), [a, file].sort());
    one.release();
    one.release(); // idempotent
    assert.ok(existsSync(a), 'still leased');
    assert.ok(!existsSync(file));
    two.release();
    assert.ok(!existsSync(a));
    assert.ok(!existsSync(path.join(journal, `${process.pid}.json`)), 'journal gone when nothing is held');

    const b = path.join(ws.dir, 'b');
    const three = reg.acquire([{ path: b }]);
    writeFileSync(path.join(b, 'user-file'), 'keep me'); // someone (on the host) put real content in it
    three.release();
    assert.equal(readFileSync(path.join(b, 'user-file'), 'utf8'), 'keep me');
    const exists = path.join(ws.dir, 'exists');
    mkdirSync(exists);
    reg.acquire([{ path: exists }]).release();
    assert.ok(existsSync(exists), 'a path that existed is not ours to remove');
  });

  void test('placeholders of a process that died are swept on first use; a live process keeps its own', () => {
    const journal = path.join(ws.dir, 'journal2');
    mkdirSync(journal);
    const stale = path.join(ws.dir, 'stale');
    mkdirSync(stale);
    writeFileSync(path.join(journal, '999999999.json'), JSON.stringify([{ path: stale, ino: lstatSync(stale).ino }]));
    const held = path.join(ws.dir, 'held-by-parent');
    mkdirSync(held);
    writeFileSync(path.join(journal, `${process.ppid}.json`), JSON.stringify([{ path: held, ino: lstatSync(held).ino }]));
    const reg = new MountPointRegistry(journal);
    const lease = reg.acquire([{ path: held }]); // adopted from the live process
    assert.ok(!existsSync(stale), 'swept');
    assert.ok(!existsSync(path.join(journal, '999999999.json')));
    lease.release();
    assert.ok(existsSync(held), 'another live process still lists it');
  });
});
