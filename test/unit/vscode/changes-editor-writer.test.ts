/**
 * The editor-aware FileWriter on real temp folders, with a small in-memory stand-in for VS Code's
 * open documents (a buffer that saves to its file, keeps an undo stack, and can be dirty).
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgentError } from '../../../src/core/base/errors';
import { EditorFileWriter, type EditorPort, type EditorWriteOutcome } from '../../../src/vscode/changes/editor-writer';

/** An open document: its text, whether it differs from its file, what Ctrl+Z would bring back. */
interface Doc { text: string; dirty: boolean; encoding: string; undo: string[]; eol: 'lf' | 'crlf' }

class FakeEditor implements EditorPort {
  readonly docs = new Map<string, Doc>();
  /** What the next applyEdit does: apply, or be refused (the buffer changed meanwhile). */
  refuseNextEdit = false;
  failNextSave = false;

  open(path: string, options: Partial<Doc> = {}): Doc {
    const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
    const doc: Doc = { text, dirty: false, encoding: 'utf8', undo: [], eol: text.includes('\r\n') ? 'crlf' : 'lf', ...options };
    this.docs.set(path, doc);
    return doc;
  }

  openDocument(absolute: string) {
    const d = this.docs.get(absolute);
    return d && { isDirty: d.dirty, encoding: d.encoding };
  }

  async replaceAndSave(absolute: string, text: string, eol: 'lf' | 'crlf' | undefined): Promise<EditorWriteOutcome> {
    const d = this.docs.get(absolute);
    if (!d) return 'closed';
    if (this.refuseNextEdit) { this.refuseNextEdit = false; return 'refused'; }
    if (d.text === text && (!eol || eol === d.eol)) return 'unchanged';
    d.undo.push(d.text);
    d.text = text;
    if (eol) d.eol = eol;
    if (this.failNextSave) {
      this.failNextSave = false;
      d.text = readFileSync(absolute, 'utf8'); // reverted to the file
      return 'not_saved';
    }
    writeFileSync(absolute, d.text);
    d.dirty = false;
    return 'saved';
  }

  async deleteFile(absolute: string): Promise<boolean> {
    rmSync(absolute);
    return true;
  }

  async renameFile(from: string, to: string): Promise<boolean> {
    writeFileSync(to, readFileSync(from));
    rmSync(from);
    const d = this.docs.get(from);
    this.docs.delete(from);
    if (d) this.docs.set(to, d);
    return true;
  }
}

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

void describe('EditorFileWriter', () => {
  const root = mkdtempSync(join(tmpdir(), 'editor-writer-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  let n = 0;
  const fresh = (content?: string): string => {
    const p = join(root, `f${++n}.txt`);
    if (content !== undefined) writeFileSync(p, content);
    return p;
  };
  const setup = () => {
    const editor = new FakeEditor();
    return { editor, writer: new EditorFileWriter(editor, (p) => `ws/${p.slice(root.length + 1)}`) };
  };

  void test('a file open with the user\'s unsaved changes is not written: conflict, and the buffer and the file stay as they are', async () => {
    const { editor, writer } = setup();
    const p = fresh('on disk\n');
    const doc = editor.open(p);
    doc.text = 'the user is typing\n';
    doc.dirty = true;
    await assert.rejects(writer.write(p, bytes('agent text\n')), (e: unknown) => {
      assert.ok(e instanceof AgentError && e.code === 'conflict');
      assert.equal(e.message, `ws/${p.slice(root.length + 1)} is open in the editor with unsaved changes; nothing was written. Ask the user to save or revert it, then read it again.`);
      return true;
    });
    assert.equal(readFileSync(p, 'utf8'), 'on disk\n');
    assert.equal(doc.text, 'the user is typing\n');
    await assert.rejects(writer.remove(p), { code: 'conflict' });
    await assert.rejects(writer.rename(p, join(root, 'moved.txt')), { code: 'conflict' });
    assert.ok(existsSync(p) && !existsSync(join(root, 'moved.txt')), 'not deleted, not moved');
  });

  void test('a clean open file is written through its buffer (undoable) and saved', async () => {
    const { editor, writer } = setup();
    const p = fresh('before\n');
    const doc = editor.open(p);
    assert.equal(await writer.write(p, bytes('after\n')), 'editor');
    assert.equal(readFileSync(p, 'utf8'), 'after\n');
    assert.equal(doc.text, 'after\n');
    assert.deepEqual(doc.undo, ['before\n'], 'Ctrl+Z brings the user\'s text back');
    assert.equal(doc.dirty, false);
  });

  void test('the same text again leaves the buffer (no empty undo step) and the exact bytes on disk', async () => {
    const { editor, writer } = setup();
    const p = fresh('same\n');
    const doc = editor.open(p);
    assert.equal(await writer.write(p, bytes('same\n')), 'disk');
    assert.deepEqual(doc.undo, []);
    assert.equal(readFileSync(p, 'utf8'), 'same\n');
  });

  void test('the buffer takes the line endings of what the agent wrote', async () => {
    const { editor, writer } = setup();
    const p = fresh('a\nb\n');
    const doc = editor.open(p);
    await writer.write(p, bytes('a\r\nc\r\n'));
    assert.equal(doc.eol, 'crlf');
    assert.equal(readFileSync(p, 'utf8'), 'a\r\nc\r\n');
  });

  void test('binary content or mixed line endings never go through the buffer: the exact bytes go to disk', async () => {
    const { editor, writer } = setup();
    const p = fresh('text\n');
    const doc = editor.open(p);
    const binary = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]);
    assert.equal(await writer.write(p, binary), 'disk');
    assert.deepEqual(new Uint8Array(readFileSync(p)), binary);
    assert.deepEqual(doc.undo, [], 'the buffer was not touched');
    assert.equal(await writer.write(p, bytes('a\r\nb\n')), 'disk');
    assert.equal(readFileSync(p, 'utf8'), 'a\r\nb\n');
  });

  void test('a file that is not open is written atomically to disk (folders created, no temp file left)', async () => {
    const { writer } = setup();
    const p = join(root, 'deep', 'er', 'new.txt');
    assert.equal(await writer.write(p, bytes('created\n')), 'disk');
    assert.equal(readFileSync(p, 'utf8'), 'created\n');
    const { readdirSync } = await import('node:fs');
    assert.deepEqual(readdirSync(join(root, 'deep', 'er')), ['new.txt']);
  });

  void test('VS Code refusing the edit (the buffer changed meanwhile) or the save failing writes nothing and says so', async () => {
    const { editor, writer } = setup();
    const p = fresh('kept\n');
    editor.open(p);
    editor.refuseNextEdit = true;
    await assert.rejects(writer.write(p, bytes('x\n')), { code: 'conflict' });
    editor.failNextSave = true;
    await assert.rejects(writer.write(p, bytes('y\n')), { code: 'tool_failed', message: /could not save/ });
    assert.equal(readFileSync(p, 'utf8'), 'kept\n');
  });

  void test('remove and rename: through the editor when open, on disk otherwise', async () => {
    const { editor, writer } = setup();
    const open = fresh('o');
    editor.open(open);
    assert.equal(await writer.remove(open), 'editor');
    assert.ok(!existsSync(open));
    const closed = fresh('c');
    assert.equal(await writer.remove(closed), 'disk');
    assert.ok(!existsSync(closed));
    assert.equal(await writer.remove(join(root, 'never-existed')), 'disk', 'already gone is fine');

    const from = fresh('moving');
    editor.open(from);
    const to = join(root, 'sub', 'moved.txt');
    assert.equal(await writer.rename(from, to), 'editor');
    assert.equal(readFileSync(to, 'utf8'), 'moving');
    assert.ok(editor.openDocument(to), 'the open document follows the file');
    const from2 = fresh('disk move');
    const to2 = join(root, 'sub2', 'moved.txt');
    assert.equal(await writer.rename(from2, to2), 'disk');
    assert.equal(readFileSync(to2, 'utf8'), 'disk move');
    assert.ok(!existsSync(from2));
  });

  void test('moving onto a path whose open buffer has unsaved text is refused', async () => {
    const { editor, writer } = setup();
    const from = fresh('x');
    const to = fresh();
    const target = editor.open(to);
    target.text = 'unsaved';
    target.dirty = true;
    await assert.rejects(writer.rename(from, to), { code: 'conflict' });
    assert.ok(existsSync(from));
  });
});
