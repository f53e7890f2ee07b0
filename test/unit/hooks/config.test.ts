/**
 * The settings parser against the examples published in Claude Code's hooks docs (fixtures/),
 * and bad entries: each reported with its file and JSON path, the rest kept.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FileHookSource, hookHash, loadHookSettings, parseHookSettings } from '../../../src/core/hooks/config';

const fixture = (name: string): string => readFileSync(path.join(import.meta.dirname, 'fixtures', name), 'utf8');
const parse = (name: string) => parseHookSettings(fixture(name), '.claude/settings.json', '/ws');

void describe('hook settings: published examples', () => {
  void test('the Bash command logger (PreToolUse, matcher Bash)', () => {
    const { hooks, problems } = parse('bash-command-logger.json');
    assert.deepEqual(problems, []);
    assert.equal(hooks.length, 1);
    assert.equal(hooks[0]!.event, 'PreToolUse');
    assert.equal(hooks[0]!.matcher, 'Bash');
    assert.match(hooks[0]!.command, /^jq -r '"\\\(\.tool_input\.command\) - /);
    assert.equal(hooks[0]!.source, '.claude/settings.json');
    assert.equal(hooks[0]!.root, '/ws');
    assert.equal(hooks[0]!.timeoutSec, undefined);
  });

  void test('formatter, file protection, project script, prompt validator', () => {
    for (const [name, event, matcher] of [
      ['format-typescript.json', 'PostToolUse', 'Edit|MultiEdit|Write'],
      ['file-protection.json', 'PreToolUse', 'Edit|MultiEdit|Write'],
      ['project-script.json', 'PostToolUse', 'Write|Edit'],
      ['prompt-validator.json', 'UserPromptSubmit', undefined],
    ] as const) {
      const { hooks, problems } = parse(name);
      assert.deepEqual(problems, [], name);
      assert.equal(hooks.length, 1, name);
      assert.equal(hooks[0]!.event, event, name);
      assert.equal(hooks[0]!.matcher, matcher, name);
    }
    assert.equal(parse('project-script.json').hooks[0]!.command, '"$CLAUDE_PROJECT_DIR"/.claude/hooks/check-style.sh');
  });

  void test('MCP matchers, timeouts and SessionStart next to other settings', () => {
    const { hooks, problems } = parse('mcp-and-session.json');
    assert.deepEqual(problems, []);
    assert.deepEqual(hooks.map((h) => [h.event, h.matcher, h.timeoutSec]), [
      ['PreToolUse', 'mcp__memory__.*', undefined], ['PreToolUse', 'mcp__.*__write.*', 30], ['SessionStart', 'startup', undefined],
    ]);
  });

  void test('events and hook types we do not run are named and left out', () => {
    const { hooks, problems } = parse('notification.json');
    assert.deepEqual(hooks, []);
    assert.deepEqual(problems.map((p) => p.path), ['hooks.Notification', 'hooks.Stop[0].hooks[0].type']);
    assert.match(problems[0]!.message, /Notification is not run/);
    assert.match(problems[1]!.message, /"prompt" is not supported/);
  });
});

void describe('hook settings: bad entries', () => {
  void test('each bad entry is reported with its path; the good ones load', () => {
    const text = JSON.stringify({
      hooks: {
        PreToolUse: [
          { matcher: 'Bash', hooks: [{ type: 'command', command: 'ok-1' }, { type: 'command', command: '' }, { type: 'command', command: 'x', timeout: -1 }] },
          { matcher: 7, hooks: [] },
          'nonsense',
        ],
        PostToolUse: { matcher: 'x' },
        Stop: [{ hooks: [{ type: 'command', command: 'ok-2', timeout: 5 }] }],
      },
    });
    const { hooks, problems } = parseHookSettings(text, '.claude/settings.local.json', '/ws');
    assert.deepEqual(hooks.map((h) => h.command), ['ok-1', 'ok-2']);
    assert.deepEqual(problems.map((p) => p.path), [
      'hooks.PreToolUse[0].hooks[1].command', 'hooks.PreToolUse[0].hooks[2].timeout', 'hooks.PreToolUse[1].matcher', 'hooks.PreToolUse[2]', 'hooks.PostToolUse',
    ]);
    assert.ok(problems.every((p) => p.source === '.claude/settings.local.json'));
  });

  void test('invalid JSON and a non-object hooks field are reported, nothing loads', () => {
    assert.match(parseHookSettings('{ "hooks": ', 's', '/ws').problems[0]!.message, /not valid JSON/);
    assert.equal(parseHookSettings('{ "hooks": [] }', 's', '/ws').problems[0]!.path, 'hooks');
    assert.deepEqual(parseHookSettings('{ "model": "opus" }', 's', '/ws'), { hooks: [], problems: [] });
  });

  void test('the content hash changes with event, matcher, command and source', () => {
    const base = { event: 'PreToolUse' as const, matcher: 'Bash', command: 'c', source: '.claude/settings.json' };
    const h = hookHash(base);
    assert.match(h, /^[0-9a-f]{64}$/);
    for (const other of [{ ...base, event: 'PostToolUse' as const }, { ...base, matcher: 'Edit' }, { ...base, command: 'd' }, { ...base, source: '.claude/settings.local.json' }]) {
      assert.notEqual(hookHash(other), h);
    }
  });

  void test('both files of a folder load; the source re-reads a file once it changed', async () => {
    const ws = mkdtempSync(path.join(tmpdir(), 'hooks-config-'));
    try {
      mkdirSync(path.join(ws, '.claude'));
      writeFileSync(path.join(ws, '.claude/settings.json'), fixture('bash-command-logger.json'));
      writeFileSync(path.join(ws, '.claude/settings.local.json'), fixture('prompt-validator.json'));
      const set = await loadHookSettings(ws);
      assert.deepEqual(set.hooks.map((h) => h.source), ['.claude/settings.json', '.claude/settings.local.json']);
      const source = new FileHookSource();
      assert.equal((await source.load(ws)).hooks.length, 2);
      writeFileSync(path.join(ws, '.claude/settings.local.json'), '{ "hooks": { "Stop": [ { "hooks": [ { "type": "command", "command": "a" }, { "type": "command", "command": "b" } ] } ] } }');
      assert.deepEqual((await source.load(ws)).hooks.map((h) => h.command).slice(1), ['a', 'b']);
    } finally { rmSync(ws, { recursive: true, force: true }); }
  });
});
