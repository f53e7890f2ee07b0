// Issue 13, end-to-end in one real VS Code (code-server + Chromium) with the packaged extension
// and the fake LLM server: two sessions' changes each in their own Source Control provider; one
// hunk undone from its CodeLens; a checkpoint restored while the user had edited one of the files
// (the preview flags it, the user's edit survives); a fork opens as a new tab with the history;
// an agent edit to a file open with the user's unsaved text is refused (their text survives), and
// to a saved open file it goes through the buffer, so Ctrl+Z takes it back.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import { e2eSkipReason, launchVsCode, type VsCode } from './harness';
import { extensionMissing, repoVsix } from './vsix';
import { lastToolResult, script, startFakeLlm, type FakeLlm } from '../fake-llm';
import { AgentUi, EXTENSION_ID, OPENAI_LABEL, Router, fakeProviderSettings, keepForReadme } from './agent-ui';
import { waitFor } from '../../scripts/code-server.mjs';

const edit = (path: string, ...edits: Array<[string, string]>) =>
  script.toolCall('edit_file', { path, edits: edits.map(([oldText, newText]) => ({ oldText, newText })) });

const README_ORIGINAL = '# Playground\n\nA small sample project that `npm start` and the end-to-end tests open in VS Code.\nAsk an agent session to read, explain or change these files.\n';
// Plain words: typed into the editor, brackets and quotes would be auto-closed.
const USER_TODO_LINE = 'Also from the user: keep it short.';
const USER_NOTE = '// a note from the user';

/** One row of the Source Control view (a provider, its input, a group or a file). */
interface ScmRow { index: number; level: number; label: string }

void describe('e2e flows: the change ledger in VS Code (Source Control, CodeLens, restore, fork, editor-safe writes)', { skip: e2eSkipReason() || extensionMissing() }, () => {
  let vs: VsCode | undefined;
  let fake: FakeLlm | undefined;
  let router: Router;
  let ui: AgentUi;
  before(async () => {
    fake = await startFakeLlm();
    router = new Router(fake);
    vs = await launchVsCode({
      name: 'flows-changes', vsix: repoVsix(),
      settings: fakeProviderSettings(fake, {
        // Edits run without asking: these flows are about what happens to the files afterwards.
        'agentSessions.defaultMode': 'auto-edit',
        // Every provider gets its own heading even when it is the only one; files as a flat list.
        'scm.alwaysShowRepositories': true,
        'scm.defaultViewMode': 'list',
        // The user's unsaved text must stay unsaved until the test saves it.
        'files.autoSave': 'off',
      }),
    });
    ui = new AgentUi(vs);
    await ui.openByCommand();
    await vs.waitForActivation(EXTENSION_ID);
    await ui.widenSideBar(520);
  });
  after(async () => {
    await vs?.close();
    await fake?.close();
  });

  // --- helpers (the workbench as a user drives it) ---------------------------------------------

  /** Opens a workspace file with Quick Open and waits for its tab to be the active one. */
  async function openFile(rel: string): Promise<void> {
    const page = vs!.page;
    const name = rel.split('/').at(-1)!;
    const input = page.locator('.quick-input-widget input');
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible' });
    await input.fill(rel);
    await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: name }).first().waitFor();
    await input.press('Enter');
    // The file's own tab (a diff tab's title also contains the name).
    await page.locator('.tabs-container .tab.active .label-name', { hasText: new RegExp(`^${name.replace(/\./g, '\\.')}$`) }).waitFor();
  }

  /** The active editor's text as it shows (non-breaking spaces as spaces). */
  async function editorText(): Promise<string> {
    const lines = vs!.page.locator('.editor-group-container.active .editor-instance .monaco-editor .view-lines').first();
    return (await lines.innerText()).replace(/\u00a0/g, ' ');
  }

  /** Clicks into the active editor's text (so keys go to it). */
  async function focusEditor(): Promise<void> {
    await vs!.page.locator('.editor-group-container.active .editor-instance .monaco-editor .view-lines').first().click();
  }

  /** Every row the Source Control view shows now, in list order. */
  async function scmRows(): Promise<ScmRow[]> {
    const rows = vs!.page.locator('.scm-view .monaco-list-row');
    const out: ScmRow[] = [];
    for (let i = 0; i < await rows.count(); i++) {
      const row = rows.nth(i);
      out.push({
        index: Number(await row.getAttribute('data-index')), level: Number(await row.getAttribute('aria-level')),
        label: (await row.getAttribute('aria-label')) ?? '',
      });
    }
    return out.sort((a, b) => a.index - b.index);
  }

  /** The file name of a resource row ("greet.js, +2 −2 · modified, src": name, tooltip, folder, in some order). */
  function fileOf(row: ScmRow): string | undefined {
    return row.label.split(', ').find((part) => /^[\w.-]+\.(?:js|md)$/.test(part));
  }

  /** A resource row of `file` whose tooltip says `tooltip`. */
  async function hasRow(file: string, tooltip: string): Promise<boolean> {
    return (await scmRows()).some((r) => fileOf(r) === file && r.label.includes(tooltip));
  }

  /** File names listed under each provider, by the session title its heading names. */
  async function filesByProvider(titles: readonly string[]): Promise<Record<string, string[]>> {
    const out: Record<string, string[]> = {};
    let current: string | undefined;
    for (const row of await scmRows()) {
      const title = row.level === 1 ? titles.find((t) => new RegExp(`\\b${t}$`).test(row.label)) : undefined;
      if (row.level === 1) { current = title; continue; }
      const file = fileOf(row);
      if (current && file) (out[current] ??= []).push(file);
    }
    for (const files of Object.values(out)) files.sort();
    return out;
  }

  /** The CodeLens links of the active editor with this text, top to bottom (read at once: an undo re-renders them). */
  async function lenses(text: string): Promise<Locator[]> {
    const all = vs!.page.locator('.editor-group-container.active .editor-instance .codelens-decoration a', { hasText: text });
    const tops = await all.evaluateAll((links) => links.map((a) => a.getBoundingClientRect().top));
    return tops.map((y, i) => ({ y, at: all.nth(i) })).sort((a, b) => a.y - b.y).map((f) => f.at);
  }

  /** Shows the Agent Sessions view (another view, such as Source Control, may hold the side bar). */
  async function showSessions(): Promise<void> {
    const bar = vs!.page.locator('.activitybar');
    const shown = await bar.locator('.action-item.checked .action-label[aria-label^="Agent Sessions"]').count() > 0;
    if (!shown) await bar.locator('.action-item .action-label[aria-label^="Agent Sessions"]').first().click();
    await ui.web();
  }

  // --- flows ------------------------------------------------------------------------------------

  void test('two sessions edit different files: each Source Control provider lists only its own; the status bar counts both', async () => {
    const v = vs!;
    await v.guard(async () => {
      router.add('alpha',
        script.of(script.text('Two small edits to greet.js.'), edit('src/greet.js', ['// A tiny module', '// A small module'], ['Hello', 'Hi'])),
        script.text('Alpha edited greet.js.'));
      router.add('bravo',
        script.of(script.text('Editing the README and the TODO list.'),
          edit('README.md', ['Ask an agent session', 'Ask any agent session']),
          edit('TODO.md', ['- [ ] make `greet` trim the name', '- [ ] make `greet` trim and capitalise the name'])),
        script.text('Bravo edited README.md and TODO.md.'));
      await ui.createSession(OPENAI_LABEL, 'Alpha');
      await ui.send('Shorten the greeting [[alpha]]');
      await ui.waitForText('Alpha edited greet.js.');
      await ui.createSession(OPENAI_LABEL, 'Bravo');
      await ui.send('Touch up the docs [[bravo]]');
      await ui.waitForText('Bravo edited README.md and TODO.md.');
      await v.waitForWorkspaceFile('src/greet.js', (t) => t.includes('// A small module') && t.includes('Hi, ${name}!'));
      await v.waitForWorkspaceFile('TODO.md', (t) => t.includes('trim and capitalise'));

      const status = v.page.locator(`[id="${EXTENSION_ID}.agentSessions.changes"]`);
      await waitFor(async () => /2 sessions have unreviewed changes \(3 files\)/.test((await status.getAttribute('aria-label')) ?? ''), 10_000, 'the status bar to count two sessions with changes');
      await status.click();
      await v.page.locator('.scm-view').waitFor();
      const byProvider = await waitFor(async () => {
        const f = await filesByProvider(['Alpha', 'Bravo']);
        return f.Alpha?.length === 1 && f.Bravo?.length === 2 ? f : undefined;
      }, 15_000, 'both providers with their files in the Source Control view');
      assert.deepEqual(byProvider, { Alpha: ['greet.js'], Bravo: ['README.md', 'TODO.md'] });
      assert.ok(await hasRow('greet.js', '+2 −2 · modified'), `greet.js shows its line counts: ${(await scmRows()).map((r) => r.label).join(' | ')}`);
      keepForReadme(await v.screenshot('changes-view'), 'changes-view.png');

      // A click opens the diff baseline ↔ now.
      await v.page.locator('.scm-view .monaco-list-row[aria-level="3"]').filter({ hasText: 'greet.js' }).first().click();
      await v.page.locator('.tabs-container .tab', { hasText: 'greet.js (Alpha: before ↔ now)' }).waitFor();
      await v.page.locator('.editor-group-container .monaco-diff-editor').getByText('// A tiny module').first().waitFor();
      await v.screenshot('changes-diff');
    });
  });

  void test('one hunk undone from its CodeLens: only those lines go back; the file stays in the view with its other hunk', async () => {
    const v = vs!;
    await v.guard(async () => {
      await openFile('src/greet.js');
      const undo = await waitFor(async () => { const l = await lenses('Undo (Alpha)'); return l.length === 2 ? l : undefined; }, 15_000, 'two "Undo (Alpha)" lenses in greet.js');
      assert.equal((await lenses('Keep')).length, 2, 'each hunk has its Keep');
      await v.screenshot('hunk-lenses');
      await undo[1]!.click(); // the lower hunk: `Hi` back to `Hello`
      const text = await v.waitForWorkspaceFile('src/greet.js', (t) => t.includes('Hello, ${name}!'));
      assert.ok(text.includes('// A small module'), 'the other hunk is still the agent\'s');
      await waitFor(async () => (await lenses('Undo (Alpha)')).length === 1, 10_000, 'one hunk left with its lenses');
      await vs!.runCommand('Agent Sessions: Show Changes');
      await waitFor(() => hasRow('greet.js', '+1 −1 · modified'), 10_000, 'greet.js with one changed line left');
      await v.screenshot('hunk-undone');
    });
  });

  void test('restore of a checkpoint after the user edited one of its files: the preview flags that file, the user\'s edit survives, the other file goes back', async () => {
    const v = vs!;
    await v.guard(async () => {
      await openFile('TODO.md');
      await focusEditor();
      await v.page.keyboard.press('Control+End'); // the empty line after the last one
      await v.page.keyboard.insertText(`${USER_TODO_LINE}\n`);
      await v.page.keyboard.press('Control+s');
      await v.waitForWorkspaceFile('TODO.md', (t) => t.includes(USER_TODO_LINE));

      await showSessions();
      await ui.select('Bravo');
      const web = await ui.web();
      const message = web.locator('as-transcript .row[data-kind="user"]').filter({ hasText: 'Touch up the docs' });
      await message.hover();
      await message.getByRole('button', { name: 'Restore checkpoint…' }).click();
      const dialog = web.locator('as-restore-dialog dialog[open]');
      await dialog.waitFor();
      const todo = dialog.locator('li[data-path$="TODO.md"]');
      const readme = dialog.locator('li[data-path$="README.md"]');
      await todo.waitFor();
      assert.equal(await todo.getAttribute('data-conflict'), '', 'TODO.md is flagged: the user changed it since');
      assert.equal(await readme.getAttribute('data-conflict'), null, 'README.md is not');
      await todo.getByText(/Changed since by someone else/).waitFor();
      keepForReadme(await v.screenshot('restore-preview-conflict'), 'restore-preview-conflict.png');
      await dialog.getByRole('button', { name: 'Restore', exact: true }).click();
      await dialog.waitFor({ state: 'detached' });
      assert.equal(await v.waitForWorkspaceFile('README.md', (t) => t === README_ORIGINAL), README_ORIGINAL, 'README.md went back');
      const kept = v.readWorkspaceFile('TODO.md') ?? '';
      assert.ok(kept.includes(USER_TODO_LINE), 'the user\'s line survives');
      assert.ok(kept.includes('trim and capitalise'), 'TODO.md was not touched at all (not overwritten)');
      await (await ui.transcript()).locator('[data-kind="rewound-run"], [data-rewound]').first().waitFor();
      await v.screenshot('restored');
    });
  });

  void test('fork from a message: a new tab with the history up to there', async () => {
    const v = vs!;
    await v.guard(async () => {
      await showSessions();
      await ui.select('Alpha');
      const web = await ui.web();
      const message = web.locator('as-transcript .row[data-kind="user"]').filter({ hasText: 'Shorten the greeting' });
      await message.hover();
      await message.getByRole('button', { name: 'Fork from here' }).click();
      const tab = web.locator('[role="tab"]').filter({ hasText: 'Fork of Alpha' });
      await tab.waitFor();
      await ui.select('Fork of Alpha');
      await ui.waitForText('Shorten the greeting [[alpha]]');
      await ui.waitForText('Alpha edited greet.js.');
      await v.screenshot('forked');
    });
  });

  void test('an agent edit to a file open with unsaved user text is refused (their text survives); to a saved open file it is undone by Ctrl+Z', async () => {
    const v = vs!;
    await v.guard(async () => {
      const path = 'src/greet.test.js';
      const original = v.readWorkspaceFile(path)!;
      router.add('delta',
        script.of(script.text('Changing the log line.'), edit(path, ["console.log('ok');", "console.log('all good');"])),
        script.text('The file has unsaved changes in the editor; I left it alone.'));
      await openFile(path);
      await focusEditor();
      await v.page.keyboard.press('Control+Home');
      await v.page.keyboard.insertText(`${USER_NOTE}\n`);
      await waitFor(async () => (await editorText()).includes(USER_NOTE), 10_000, 'the user\'s text in the editor');
      assert.equal(v.readWorkspaceFile(path), original, 'the user\'s text is not saved yet');

      await showSessions();
      await ui.createSession(OPENAI_LABEL, 'Delta');
      await ui.send('Make the log line friendlier [[delta]]');
      await ui.waitForText('I left it alone.');
      const told = lastToolResult((await router.waitForRequests('delta', 2))[1]!);
      assert.match(told?.content ?? '', /is open in the editor with unsaved changes; nothing was written/, `the tool result says why: ${told?.content}`);
      assert.equal(v.readWorkspaceFile(path), original, 'nothing was written to disk');
      assert.ok((await editorText()).includes(USER_NOTE), 'the user\'s unsaved text is still in the editor');
      await v.screenshot('unsaved-buffer-kept');

      // Saved and still open: the agent's edit goes through the buffer.
      await v.page.locator('.tabs-container .tab', { hasText: 'greet.test.js' }).first().click();
      await focusEditor();
      await v.page.keyboard.press('Control+s');
      const saved = await v.waitForWorkspaceFile(path, (t) => t.startsWith(USER_NOTE));
      router.add('delta',
        script.toolCall('read_file', { path }),
        edit(path, ["console.log('ok');", "console.log('all good');"]),
        script.text('Changed the log line.'));
      await ui.select('Delta');
      await ui.send('The file is saved now, try again [[delta]]');
      await ui.waitForText('Changed the log line.');
      await v.waitForWorkspaceFile(path, (t) => t.includes("console.log('all good');") && t.startsWith(USER_NOTE));
      await v.page.locator('.tabs-container .tab', { hasText: 'greet.test.js' }).first().click();
      await waitFor(async () => (await editorText()).includes("console.log('all good');"), 10_000, 'the editor to show the agent\'s edit');
      await v.screenshot('agent-edit-in-buffer');
      await focusEditor();
      await v.page.keyboard.press('Control+z');
      await waitFor(async () => (await editorText()).includes("console.log('ok');"), 10_000, 'Ctrl+Z to take the agent\'s edit back');
      await v.page.keyboard.press('Control+s');
      assert.equal(await v.waitForWorkspaceFile(path, (t) => t === saved), saved, 'after Ctrl+Z and save the file is the user\'s version again');
      await v.screenshot('agent-edit-undone');
    });
  });
});
