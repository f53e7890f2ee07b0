/**
 * The macOS profile as text (sandbox-exec cannot run here), and the platform pick. The profile
 * is untested on a real Mac: these tests pin its structure and the escaping of odd paths.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { sbplString, seatbeltProfile, SeatbeltSandbox } from '../../../src/core/sandbox/seatbelt';
import { createCommandSandbox, UnavailableSandbox } from '../../../src/core/sandbox/create';
import { BubblewrapSandbox } from '../../../src/core/sandbox/bubblewrap';
import { SandboxUnavailableError } from '../../../src/core/sandbox/errors';
import type { SandboxPolicy } from '../../../src/core/sandbox/types';

const policy: SandboxPolicy = {
  writableRoots: ['/Users/me/ws'],
  protectedPaths: ['/Users/me/ws/.git/hooks', '/Users/me/ws/.vscode', '/Users/me/elsewhere/x'],
  hiddenPaths: ['/Users/me/.ssh'],
  network: false,
};

void describe('seatbelt profile', () => {
  void test('escapes quotes and backslashes; refuses control characters', () => {
    assert.equal(sbplString('/a "quoted" \\ path'), '"/a \\"quoted\\" \\\\ path"');
    assert.equal(sbplString("/it's fine"), '"/it\'s fine"');
    assert.throws(() => sbplString('/a\nb'), /control character/);
    const profile = seatbeltProfile({ ...policy, writableRoots: ['/Users/me/we"ird\\ws'], protectedPaths: ['/Users/me/we"ird\\ws/.vscode'] }, []);
    assert.ok(profile.includes('(subpath "/Users/me/we\\"ird\\\\ws")'));
    assert.ok(profile.includes('(subpath "/Users/me/we\\"ird\\\\ws/.vscode")'));
  });

  void test('allow default, deny writes, re-allow roots, deny protected (existing or not), pin ancestors, hide, no network', () => {
    const profile = seatbeltProfile(policy, ['/private/tmp']);
    const at = (s: string) => { const i = profile.indexOf(s); assert.ok(i >= 0, `missing: ${s}\n${profile}`); return i; };
    const order = [
      at('(version 1)'), at('(allow default)'), at('(deny file-write*)\n'), at('(allow file-write*\n  (subpath "/Users/me/ws")'),
      at('(deny file-write*\n  (subpath "/Users/me/ws/.git/hooks")\n  (subpath "/Users/me/ws/.vscode")\n)'),
      at('(deny file-write-unlink\n  (literal "/Users/me/ws/.git")\n)'),
      at('(deny file-read* file-write*\n  (subpath "/Users/me/.ssh")\n)'),
      at('(deny network*)'), at('(allow network-outbound (remote unix-socket (path-regex #"^/")))'),
      at('(deny network-outbound\n  (remote unix-socket (subpath "/Users/me/.ssh"))\n)'),
    ];
    assert.deepEqual(order, [...order].sort((a, b) => a - b), 'later rules win in SBPL: the order matters');
    assert.ok(profile.includes('(subpath "/private/tmp")'));
    assert.ok(!profile.includes('/Users/me/elsewhere/x'), 'a protected path outside the roots is read-only anyway');
    const open = seatbeltProfile({ ...policy, network: true }, []);
    assert.ok(!open.includes('(deny network*)'));
  });
});

void describe('platform pick', () => {
  void test('linux → bubblewrap, darwin → sandbox-exec, win32 and others → unavailable with the reason', async () => {
    assert.ok(createCommandSandbox({ platform: 'linux' }) instanceof BubblewrapSandbox);
    assert.ok(createCommandSandbox({ platform: 'darwin' }) instanceof SeatbeltSandbox);
    const win = createCommandSandbox({ platform: 'win32' });
    assert.ok(win instanceof UnavailableSandbox);
    const a = await win.availability();
    assert.equal(a.available, false);
    assert.match(!a.available ? a.reason : '', /Windows/);
    await assert.rejects(win.prepare({ shell: '/bin/sh', command: 'true', cwd: '/' }, policy), SandboxUnavailableError);
    const bsd = await createCommandSandbox({ platform: 'freebsd' }).availability();
    assert.match(!bsd.available ? bsd.reason : '', /freebsd/);
  });

  void test('sandbox-exec missing (as on Linux) is unavailable, and prepare refuses', async () => {
    const s = new SeatbeltSandbox('/nonexistent/sandbox-exec');
    assert.deepEqual(await s.availability(), { available: false, reason: 'sandbox-exec was not found at /nonexistent/sandbox-exec' });
    await assert.rejects(s.prepare({ shell: '/bin/sh', command: 'true', cwd: '/' }, policy), /not found/);
  });
});
