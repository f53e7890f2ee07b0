/** The change ledger's VS Code side, the parts that need no editor: hunk mapping, text/bytes, rows, comment text, status counts. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChangedFileDetail, ChangeHunk } from '../../../src/core/changes/types';
import type { SessionIndexEntry } from '../../../src/core/store/types';
import { commentPrompt, fenceFor } from '../../../src/vscode/changes/comment-text';
import { hunkAtLine, hunkForLineChange, isHunkRef, isLineChange, rangesOf, type LineChange } from '../../../src/vscode/changes/hunk-map';
import { diffTitle, groupRows, inputPlaceholder, rowTooltip } from '../../../src/vscode/changes/scm-rows';
import { baselineText, textForEditor } from '../../../src/vscode/changes/text-bytes';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSettings } from '../../../src/vscode/settings';
import { summarizeChanges } from '../../../src/vscode/status-summary';

const lc = (os: number, oe: number, ms: number, me: number): LineChange => ({
  originalStartLineNumber: os, originalEndLineNumber: oe, modifiedStartLineNumber: ms, modifiedEndLineNumber: me,
});
const hunk = (index: number, baseStart: number, baseEnd: number, start: number, end: number): ChangeHunk => ({
  index, baseStart, baseEnd, start, end, added: end - start, removed: baseEnd - baseStart,
});
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

function row(over: Partial<ChangedFileDetail> = {}): ChangedFileDetail {
  return {
    path: '/ws/src/a.ts', label: 'src/a.ts', kind: 'modified', sessionId: 'root',
    baseline: { state: 'file', hash: 'h1', size: 3, stored: true }, current: { state: 'file', hash: 'h2', size: 4, stored: true },
    firstSeq: 3, lastSeq: 5, restorable: true, added: 2, removed: 1, ...over,
  };
}

void describe('quick-diff LineChange → ledger hunk', () => {
  void test('VS Code line changes become 0-based end-exclusive ranges (an empty side is a position)', () => {
    assert.deepEqual(rangesOf(lc(3, 4, 3, 5)), { baseStart: 2, baseEnd: 4, start: 2, end: 5 }, 'modification of lines 3–4 into 3–5');
    assert.deepEqual(rangesOf(lc(2, 0, 3, 4)), { baseStart: 2, baseEnd: 2, start: 2, end: 4 }, 'insertion of lines 3–4 after original line 2');
    assert.deepEqual(rangesOf(lc(5, 6, 4, 0)), { baseStart: 4, baseEnd: 6, start: 4, end: 4 }, 'deletion of lines 5–6 after modified line 4');
    assert.deepEqual(rangesOf(lc(0, 0, 1, 2)), { baseStart: 0, baseEnd: 0, start: 0, end: 2 }, 'insertion at the top');
  });

  void test('the hunk with the same ranges wins; else the one the change overlaps; none when nothing matches or it is ambiguous', () => {
    const hunks = [hunk(0, 0, 0, 0, 2), hunk(1, 4, 6, 6, 6), hunk(2, 9, 10, 9, 12)];
    assert.equal(hunkForLineChange(hunks, lc(0, 0, 1, 2))?.index, 0, 'exact insertion at the top');
    assert.equal(hunkForLineChange(hunks, lc(5, 6, 6, 0))?.index, 1, 'exact deletion');
    // VS Code cut the third hunk differently (one line shorter): still the overlapping hunk.
    assert.equal(hunkForLineChange(hunks, lc(10, 10, 10, 11))?.index, 2);
    assert.equal(hunkForLineChange(hunks, lc(20, 20, 20, 20)), undefined, 'a change the ledger does not know (the file changed since)');
    const touching = [hunk(0, 2, 3, 2, 3), hunk(1, 3, 4, 3, 4)];
    assert.equal(hunkForLineChange(touching, lc(3, 4, 3, 4))?.index, undefined, 'spans both hunks: no guess');
  });

  void test('the hunk at the cursor: lines it covers, or a deletion right there', () => {
    const hunks = [hunk(0, 0, 1, 0, 3), hunk(1, 5, 7, 6, 6)];
    assert.equal(hunkAtLine(hunks, 2)?.index, 0);
    assert.equal(hunkAtLine(hunks, 3), undefined);
    assert.equal(hunkAtLine(hunks, 6)?.index, 1, 'the line where the deleted lines were');
    assert.equal(hunkAtLine(hunks, 5)?.index, 1, 'the line just above');
  });

  void test('menu arguments are checked at runtime', () => {
    assert.ok(isLineChange(lc(1, 2, 1, 3)));
    assert.ok(!isLineChange({ originalStartLineNumber: 1, originalEndLineNumber: 2, modifiedStartLineNumber: -1, modifiedEndLineNumber: 3 }));
    assert.ok(!isLineChange('1-2'));
    assert.ok(isHunkRef({ sessionId: 's', path: '/a', hunk: 0 }));
    assert.ok(!isHunkRef({ sessionId: 's', path: '/a', hunk: 1.5 }));
    assert.ok(!isHunkRef(null));
  });
});

void describe('bytes through an open document', () => {
  void test('UTF-8 text goes through the editor with the EOL it uses', () => {
    assert.deepEqual(textForEditor(bytes('a\nb\n'), 'utf8'), { text: 'a\nb\n', eol: 'lf' });
    assert.deepEqual(textForEditor(bytes('a\r\nb\r\n'), 'utf8'), { text: 'a\r\nb\r\n', eol: 'crlf' });
    assert.deepEqual(textForEditor(bytes('one line'), 'utf8'), { text: 'one line' }, 'no line break: the document keeps its EOL');
    assert.deepEqual(textForEditor(bytes('é ✓\n'), 'utf8'), { text: 'é ✓\n', eol: 'lf' });
  });

  void test('what a document could not save byte for byte goes to disk instead', () => {
    assert.equal(textForEditor(bytes('a\r\nb\n'), 'utf8'), undefined, 'mixed line endings');
    assert.equal(textForEditor(bytes('a\rb'), 'utf8'), undefined, 'a lone CR');
    assert.equal(textForEditor(new Uint8Array([0x61, 0, 0x62]), 'utf8'), undefined, 'binary (NUL)');
    assert.equal(textForEditor(new Uint8Array([0xff, 0xfe, 0x41]), 'utf8'), undefined, 'not UTF-8');
    assert.equal(textForEditor(bytes('a\n'), 'utf16le'), undefined, 'the document saves in another encoding');
    assert.equal(textForEditor(new Uint8Array([0xef, 0xbb, 0xbf, 0x61]), 'utf8'), undefined, 'a BOM the document would drop');
    assert.equal(textForEditor(bytes('a'), 'utf8bom'), undefined, 'no BOM but the document would add one');
    assert.deepEqual(textForEditor(new Uint8Array([0xef, 0xbb, 0xbf, 0x61, 0x0a]), 'utf8bom'), { text: 'a\n', eol: 'lf' }, 'the document writes the BOM itself');
  });

  void test('a baseline reads as its text, or one line saying it is not text', () => {
    assert.equal(baselineText(bytes('x\ny')), 'x\ny');
    assert.equal(baselineText(new Uint8Array([0xef, 0xbb, 0xbf, 0x61])), 'a');
    assert.equal(baselineText(new Uint8Array()), '', 'a created file\'s baseline is empty');
    assert.match(baselineText(new Uint8Array([1, 0, 2])), /^\(Binary or non-UTF-8 content, 3 bytes: not shown as text\.\)$/);
  });
});

void describe('Source Control rows', () => {
  void test('own rows in "Changes" (always there), each child in its own group, in first-seen order', () => {
    const groups = groupRows('root', [
      row({ path: '/ws/c1.ts', sessionId: 'kid-2', childTitle: 'Tests' }),
      row({ path: '/ws/a.ts' }),
      row({ path: '/ws/c2.ts', sessionId: 'kid-1', childTitle: 'Docs' }),
      row({ path: '/ws/c3.ts', sessionId: 'kid-2', childTitle: 'Tests' }),
    ]);
    assert.deepEqual(groups.map((g) => [g.id, g.label, g.sessionId, g.rows.map((r) => r.path)]), [
      ['changes', 'Changes', 'root', ['/ws/a.ts']],
      ['child:kid-2', 'Child Tests', 'kid-2', ['/ws/c1.ts', '/ws/c3.ts']],
      ['child:kid-1', 'Child Docs', 'kid-1', ['/ws/c2.ts']],
    ]);
    assert.deepEqual(groupRows('root', []).map((g) => g.id), ['changes']);
  });

  void test('tooltip: line counts, kind, and why it cannot be restored', () => {
    assert.equal(rowTooltip(row()), '+2 −1 · modified');
    assert.equal(rowTooltip(row({ kind: 'created', added: 7, removed: 0 })), '+7 −0 · created');
    assert.equal(rowTooltip(row({ kind: 'modified', added: undefined, removed: undefined, restorable: false, note: 'binary file' })), 'modified · cannot be restored: binary file');
    assert.equal(rowTooltip(row({ kind: 'deleted', restorable: false, added: undefined, removed: undefined })), 'deleted · cannot be restored: its earlier content was not kept');
  });

  void test('diff title and input placeholder name the session', () => {
    assert.equal(diffTitle('src/a.ts', 'Alpha'), 'src/a.ts (Alpha: before ↔ now)');
    assert.equal(inputPlaceholder('Alpha', 'linux'), 'Message to Alpha (Ctrl+Enter sends)');
    assert.equal(inputPlaceholder('Alpha', 'darwin'), 'Message to Alpha (Cmd+Enter sends)');
  });
});

void describe('Comment to Session text', () => {
  void test('where, the quoted lines, then the comment', () => {
    assert.equal(
      commentPrompt({ label: 'src/greet.js', startLine: 2, endLine: 3, lines: 'function greet(name) {\n  return 1;\n', comment: '  Use a template literal.  ' }),
      'Comment on src/greet.js lines 2–3:\n```\nfunction greet(name) {\n  return 1;\n```\nUse a template literal.',
    );
    assert.equal(commentPrompt({ label: 'a.md', startLine: 4, endLine: 4, lines: 'x', comment: 'why?' }), 'Comment on a.md line 4:\n```\nx\n```\nwhy?');
  });

  void test('quoted backticks cannot close the fence', () => {
    assert.equal(fenceFor('plain'), '```');
    assert.equal(fenceFor('a ```` b'), '`````');
    const text = commentPrompt({ label: 'README.md', startLine: 1, endLine: 2, lines: '```js\nx\r\n```', comment: 'ok' });
    assert.ok(text.startsWith('Comment on README.md lines 1–2:\n````\n```js\nx\n```\n````\nok'), text);
  });
});

void describe('status bar: sessions with unreviewed changes', () => {
  const entry = (id: string, changedFiles?: number): SessionIndexEntry => ({
    id, title: id, createdAt: 1, updatedAt: 1, lastSeq: 1, eventCount: 1, messageCount: 0, state: 'idle', providerId: 'p', model: 'm',
    ...(changedFiles !== undefined ? { changedFiles } : {}),
  });

  void test('counts sessions (live count for opened ones, the index row otherwise); one session is the click target', () => {
    const rows = [entry('a', 2), entry('b'), entry('c', 3), entry('d', 1)];
    // 'd' is opened and its snapshot says everything was kept since the index row was written.
    const live = new Map([['d', 0], ['b', 4]]);
    const s = summarizeChanges(rows, (r) => live.get(r.id) ?? r.changedFiles ?? 0);
    assert.equal(s.sessions, 3);
    assert.equal(s.files, 9);
    assert.equal(s.target, undefined);
    assert.equal(s.text, '$(diff) 3');
    assert.match(s.tooltip, /3 sessions have unreviewed changes \(9 files\)/);
    const one = summarizeChanges([entry('a', 1), entry('b')], (r) => r.changedFiles ?? 0);
    assert.equal(one.target, 'a');
    assert.match(one.tooltip, /1 session has unreviewed changes \(1 file\)/);
    assert.equal(summarizeChanges([entry('a')], () => 0).sessions, 0);
  });
});

void describe('setting agentSessions.changes.maxFileBytes', () => {
  void test('default 2 MiB; a valid value is used; an invalid one is reported and the default kept; package.json agrees', () => {
    assert.equal(readSettings(() => undefined).settings['changes.maxFileBytes'], 2_097_152);
    const set = (globalValue: unknown) => readSettings((key) => (key === 'changes.maxFileBytes' ? { globalValue } : undefined), { trusted: true });
    assert.equal(set(65_536).settings['changes.maxFileBytes'], 65_536);
    const bad = set(-1);
    assert.equal(bad.settings['changes.maxFileBytes'], 2_097_152);
    assert.deepEqual(bad.problems.map((p) => p.setting), ['agentSessions.changes.maxFileBytes']);
    const manifest = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, { default?: unknown; minimum?: number }> } };
    };
    const declared = manifest.contributes.configuration.properties['agentSessions.changes.maxFileBytes'];
    assert.equal(declared?.default, 2_097_152);
    assert.equal(declared?.minimum, 0);
  });
});
