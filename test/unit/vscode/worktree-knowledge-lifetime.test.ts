import { test } from 'node:test';
import assert from 'node:assert/strict';
import { releaseUnusedRoots, type HeldRoots } from '../../../src/vscode/worktree/knowledge-lifetime';

function cache(roots: string[]): HeldRoots & { released: string[] } {
  const held = new Set(roots);
  const released: string[] = [];
  return { released, roots: () => [...held], release: async (r) => { held.delete(r); released.push(r); } };
}

void test('a worktree\'s knowledge is released once no live session works in it (deleted, or discarded)', async () => {
  const c = cache(['/wt/a/playground', '/wt/b', '/wt/c']);
  const gone = await releaseUnusedRoots(c, [
    { worktree: { branch: 'agent/a', path: '/wt/a', state: 'ok' } },
    { worktree: { branch: 'agent/c', path: '/wt/c', state: 'discarded' } },
    {},
  ]);
  assert.deepEqual(gone.sort(), ['/wt/b', '/wt/c']);
  assert.deepEqual(c.roots(), ['/wt/a/playground'], 'a subfolder root of a live worktree stays');
});

void test('a folder that only shares a prefix with a live worktree is not mistaken for it', async () => {
  const c = cache(['/wt/ab']);
  assert.deepEqual(await releaseUnusedRoots(c, [{ worktree: { branch: 'agent/a', path: '/wt/a', state: 'missing' } }]), ['/wt/ab']);
});
