import { test } from 'node:test';
import assert from 'node:assert/strict';
import picomatch from 'picomatch';
import { RULES_GLOBS } from '../../../src/vscode/knowledge/root-knowledge';

void test('the host watches every rules file the loader reads (nested CLAUDE.md/GEMINI.md, .cursorrules, .cursor/rules subfolders)', () => {
  const watched = picomatch(RULES_GLOBS, { dot: true });
  for (const p of ['AGENTS.md', 'packages/a/AGENTS.md', 'CLAUDE.md', 'src/api/CLAUDE.md', 'GEMINI.md', 'docs/GEMINI.md', '.cursorrules',
    '.cursor/rules/a.mdc', '.cursor/rules/frontend/react.mdc', '.github/copilot-instructions.md', '.clinerules', '.clinerules/a.md']) {
    assert.ok(watched(p), `${p} is watched`);
  }
  assert.ok(!watched('src/README.md'));
});
