import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { memoryFileLocation } from '../../../src/vscode/memory/location';

const storage = '/storage/ws-1';
const ws = '/home/me/project';
const home = '/home/me';

void describe('memory file location (agentSessions.memory.file)', () => {
  void test('empty: memory.md in the workspace storage', () => {
    assert.deepEqual(memoryFileLocation('', storage, ws, home), { path: join(storage, 'memory.md') });
  });
  void test('~ and ${workspaceFolder} are expanded; the path is normalised', () => {
    assert.deepEqual(memoryFileLocation('~/notes/agent-memory.md', storage, ws, home), { path: '/home/me/notes/agent-memory.md' });
    assert.deepEqual(memoryFileLocation('${workspaceFolder}/.agents/../MEMORY.md', storage, ws, home), { path: '/home/me/project/MEMORY.md' });
  });
  void test('refused, with the default used and the reason said: relative, not Markdown, unknown variable, no folder', () => {
    for (const [value, why] of [
      ['notes/memory.md', /not an absolute path/],
      ['~/.bashrc', /not name a Markdown file/],
      ['${env:HOME}/m.md', /variable other than/],
    ] as const) {
      const loc = memoryFileLocation(value, storage, ws, home);
      assert.equal(loc.path, join(storage, 'memory.md'));
      assert.match(loc.problem ?? '', why);
    }
    assert.match(memoryFileLocation('${workspaceFolder}/m.md', storage, undefined, home).problem ?? '', /no folder is open/);
  });
});
