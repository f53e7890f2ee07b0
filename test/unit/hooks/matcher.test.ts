/** Claude Code's matcher semantics, with our tools under Claude Code's names. */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { claudeToolInput, claudeToolName, matcherMatches, toolAliases } from '../../../src/core/hooks/matcher';

void describe('hook matchers', () => {
  void test('the matcher table', () => {
    const table: [string | undefined, string, boolean][] = [
      ['Bash', 'run_command', true],
      ['Bash', 'read_file', false],
      ['Edit|Write', 'edit_file', true],
      ['Edit|Write', 'write_file', true],
      ['Edit|Write', 'read_file', false],
      ['MultiEdit', 'edit_file', true],
      ['Read', 'read_file', true],
      ['Grep', 'search_text', true],
      ['Glob', 'find_files', true],
      ['LS', 'list_dir', true],
      ['mcp__.*', 'mcp__github__create_issue', true],
      ['mcp__.*', 'run_command', false],
      ['mcp__memory__.*', 'mcp__memory__create_entities', true],
      ['mcp__memory__.*', 'mcp__github__create_issue', false],
      ['mcp__.*__write.*', 'mcp__fs__write_file', true],
      ['', 'run_command', true],
      ['*', 'mcp__x__y', true],
      [undefined, 'edit_file', true],
      ['run_command', 'run_command', true], // our own names work too
      ['Bas', 'run_command', false], // a plain name is exact, not a prefix
      ['Notebook.*', 'run_command', false],
      ['(', 'run_command', false], // an invalid regular expression matches nothing
    ];
    for (const [matcher, tool, expected] of table) {
      assert.equal(matcherMatches(matcher, toolAliases(tool)), expected, `${String(matcher)} vs ${tool}`);
    }
  });

  void test('tool_name and tool_input as Claude Code sends them', () => {
    assert.equal(claudeToolName('run_command'), 'Bash');
    assert.equal(claudeToolName('edit_file', { edits: [{}] }), 'Edit');
    assert.equal(claudeToolName('edit_file', { edits: [{}, {}] }), 'MultiEdit');
    assert.equal(claudeToolName('mcp__github__create_issue'), 'mcp__github__create_issue');
    assert.deepEqual(claudeToolInput('edit_file', { path: 'src/a.ts', edits: [{ oldText: 'a', newText: 'b' }] }, '/ws'),
      { path: 'src/a.ts', file_path: '/ws/src/a.ts', old_string: 'a', new_string: 'b' });
    assert.equal(claudeToolInput('write_file', { path: 'x.txt', content: 'hi' }, '/ws').file_path, '/ws/x.txt');
    assert.deepEqual(claudeToolInput('run_command', { command: 'ls', timeoutSeconds: 5 }, '/ws'), { command: 'ls', timeoutSeconds: 5, timeout: 5000 });
  });
});
