/** The commands terminal's text: formatting, the sanitizer, the replay and the live follower. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ToolRecord, TranscriptRecord } from '../../../src/shared/transcript';
import { CommandFollower } from '../../../src/vscode/worktree/follow';
import { commandLine, crlf, exitLine, OutputSanitizer, replayCommands } from '../../../src/vscode/worktree/follow-format';
import { FakeManager } from './fakes';

// eslint-disable-next-line no-control-regex -- the SGR codes are what is stripped
const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

const tool = (callId: string, over: Partial<ToolRecord> = {}): ToolRecord => ({
  kind: 'tool', key: `tool:${callId}`, seq: 1, callId, name: 'run_command', args: { command: `echo ${callId}` }, status: 'done',
  output: `${callId} out\n`, result: 'Exit code 0 (0.1s).', durationMs: 120, ...over,
});

void describe('follow terminal: formatting', () => {
  void test('LF becomes CRLF; a lone CR stays (progress bars)', () => {
    assert.equal(crlf('a\nb\r\nc\rd'), 'a\r\nb\r\nc\rd');
  });

  void test('the command line: $ command, its folder, continuation lines; control characters made visible', () => {
    assert.equal(plain(commandLine({ command: 'npm test', cwd: 'packages/a' })), '\r\n$ npm test (in packages/a)\r\n');
    assert.equal(plain(commandLine({ command: 'cat <<EOF\nhi\nEOF' })), '\r\n$ cat <<EOF\r\n> hi\r\n> EOF\r\n');
    const hostile = plain(commandLine({ command: 'echo \x1b]0;owned\x07' }));
    assert.ok(!hostile.includes('\x1b') && !hostile.includes('\x07'), JSON.stringify(hostile));
    assert.match(hostile, /\^\[\]0;owned\^G/);
  });

  void test('exit lines: code and time, signal, timeout, interrupted, refused', () => {
    assert.equal(plain(exitLine({ content: 'Exit code 0 (1.2s).\nout', isError: false, durationMs: 1234 })), '[exit 0 · 1.2 s]\r\n');
    assert.ok(exitLine({ content: 'Exit code 0 (1.2s).', isError: false }).startsWith('\x1b[32m'), 'green');
    assert.equal(plain(exitLine({ content: 'Exit code 2 (0.3s).', isError: true, durationMs: 300 })), '[exit 2 · 0.3 s]\r\n');
    assert.ok(exitLine({ content: 'Exit code 2 (0.3s).', isError: true }).startsWith('\x1b[31m'), 'red');
    assert.equal(plain(exitLine({ content: 'Killed by signal SIGKILL (3.0s).', isError: true, durationMs: 3000 })), '[killed by SIGKILL · 3.0 s]\r\n');
    assert.equal(plain(exitLine({ content: 'Command timed out after 120s and was killed', isError: true })), '[timed out after 120 s]\r\n');
    assert.equal(plain(exitLine({ content: 'anything', isError: true, interrupted: true })), '[interrupted]\r\n');
    assert.equal(plain(exitLine({ content: 'Denied by rule run_command(rm:*)', isError: true })), '[not run: Denied by rule run_command(rm:*)]\r\n');
  });

  void test('output keeps colours but loses escape strings (titles, hyperlinks, clipboard), also split across chunks', () => {
    const s = new OutputSanitizer();
    assert.equal(s.push('\x1b[31mred\x1b[0m\n'), '\x1b[31mred\x1b[0m\r\n');
    assert.equal(s.push('a\x1b]52;c;ZXZpbA==\x07b'), 'ab', 'OSC 52 (clipboard write) removed');
    assert.equal(s.push('x\x1b]8;;https://e.example'), 'x', 'held until the end arrives');
    assert.equal(s.push('\x1b\\link\x1b]8;;\x1b\\ y\n'), 'link y\r\n');
    assert.equal(s.push('tail\x1b'), 'tail');
    assert.equal(s.push('[1mbold'), '\x1b[1mbold', 'a split CSI is kept whole');
    assert.equal(s.push('\x1bPdcs\x1b\\after \u009d8;;x\u0007'), 'after 8;;x\x07', 'DCS removed; 8-bit OSC introducer removed');
    const long = new OutputSanitizer();
    assert.equal(long.push(`\x1b]0;${'t'.repeat(5000)}`), '', 'an endless escape string is dropped');
    assert.equal(long.push('more title\x07visible'), 'visible');
  });
});

void describe('follow terminal: replay and live', () => {
  void test('replay shows the last five run_command calls with output and exit; other tools and text are skipped; a running one is followed', () => {
    const records: TranscriptRecord[] = [
      { kind: 'user', key: 'u', seq: 1, text: 'go' },
      ...['c1', 'c2', 'c3', 'c4', 'c5'].map((id) => tool(id)),
      { ...tool('r1'), name: 'read_file', args: { path: 'x' } },
      tool('c6', { status: 'running', output: 'half', result: undefined }),
    ];
    const r = replayCommands(records);
    const text = plain(r.text);
    assert.deepEqual(r.running, ['c6']);
    assert.ok(!text.includes('echo c1'), 'only the last five');
    assert.ok(!text.includes('read_file') && !text.includes('path'));
    assert.match(text, /\$ echo c2\r\nc2 out\r\n\[exit 0 · 0\.1 s\]\r\n/);
    assert.ok(text.endsWith('$ echo c6\r\nhalf'), JSON.stringify(text.slice(-40)));
    assert.match(text, /the last 5 commands/);
    assert.deepEqual(replayCommands([]), { text: '', running: [] });
  });

  void test('live: only this session\'s run_command calls, output chunks CRLF, exit line on a new line; input-free', async () => {
    const manager = new FakeManager();
    manager.add('s1', 'Fix login');
    manager.add('s2', 'Other');
    const written: string[] = [];
    const follower = new CommandFollower(manager, 's1', 'Fix login', (t) => written.push(t));
    await follower.start();
    manager.emit('s1', { type: 'tool.requested', turnId: 't', callId: 'k1', name: 'run_command', args: { command: 'npm test' } });
    manager.emit('s2', { type: 'tool.requested', turnId: 't', callId: 'k2', name: 'run_command', args: { command: 'rm -rf other' } });
    manager.emit('s1', { type: 'tool.requested', turnId: 't', callId: 'k3', name: 'edit_file', args: { path: 'a' } });
    manager.emit('s1', { type: 'tool.output', callId: 'k1', chunk: 'ok 1\nok' });
    manager.emit('s2', { type: 'tool.output', callId: 'k2', chunk: 'other output' });
    manager.emit('s1', { type: 'tool.completed', turnId: 't', callId: 'k1', messageId: 'm', name: 'run_command', content: 'Exit code 1 (2.0s).', isError: true, durationMs: 2000 });
    const text = plain(written.join(''));
    assert.match(text, /^Read-only: this terminal follows the commands that "Fix login" runs/);
    assert.ok(text.endsWith('\r\n$ npm test\r\nok 1\r\nok\r\n[exit 1 · 2.0 s]\r\n'), JSON.stringify(text));
    assert.ok(!text.includes('rm -rf') && !text.includes('other output') && !text.includes('edit_file'));
    follower.dispose();
    manager.emit('s1', { type: 'tool.requested', turnId: 't', callId: 'k4', name: 'run_command', args: { command: 'after dispose' } });
    assert.ok(!plain(written.join('')).includes('after dispose'));
  });

  void test('a command that starts while the replay is read is shown after it, not lost', async () => {
    const manager = new FakeManager();
    manager.add('s1', 'Fix login');
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const source = {
      onEvent: manager.onEvent,
      transcript: async () => { await gate; return { entries: [tool('old', { status: 'running', output: 'so far ', result: undefined })] }; },
    };
    const written: string[] = [];
    const follower = new CommandFollower(source, 's1', 'Fix login', (t) => written.push(t));
    const started = follower.start();
    manager.emit('s1', { type: 'tool.output', callId: 'old', chunk: 'more\n' });
    manager.emit('s1', { type: 'tool.requested', turnId: 't', callId: 'new', name: 'run_command', args: { command: 'ls' } });
    release();
    await started;
    const text = plain(written.join(''));
    assert.ok(text.includes('$ echo old\r\nso far more\r\n\r\n$ ls\r\n'), JSON.stringify(text));
    follower.dispose();
  });

  void test('a session that cannot be read replays nothing and still follows', async () => {
    const manager = new FakeManager();
    manager.add('s1', 'Gone');
    const written: string[] = [];
    const follower = new CommandFollower({ onEvent: manager.onEvent, transcript: async () => { throw new Error('not_found'); } }, 's1', 'Gone', (t) => written.push(t));
    await follower.start();
    manager.emit('s1', { type: 'tool.requested', turnId: 't', callId: 'k', name: 'run_command', args: { command: 'pwd' } });
    assert.match(plain(written.join('')), /\$ pwd/);
    follower.dispose();
  });
});
