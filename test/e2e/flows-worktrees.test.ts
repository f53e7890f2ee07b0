// Issue 14, end-to-end in one real VS Code (code-server + Chromium) with the packaged extension and
// the fake LLM server, on a real git repository: two sessions, each in its own worktree, change the
// same line differently (the main tree stays as it was); the first is committed on its branch (the
// message drafted by its model) and merged back cleanly; the second, applied as uncommitted changes,
// conflicts and opens VS Code's merge editor; a window reload keeps both sessions in their worktrees;
// a session's terminal opens in its worktree.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { e2eSkipReason, launchVsCode, type VsCode } from './harness';
import { extensionMissing, repoVsix } from './vsix';
import { script, startFakeLlm, type FakeLlm } from '../fake-llm';
import { AgentUi, EXTENSION_ID, OPENAI_LABEL, Router, fakeProviderSettings, keepForReadme } from './agent-ui';
import { waitFor } from '../../scripts/code-server.mjs';

const repoRoot = join(import.meta.dirname, '..', '..');
const GIT_ENV = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
const TITLE_LINE = '# Playground';

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8' });
}

/** The playground as a git repository with one commit (its own identity, so commits and merges work anywhere). */
function makeRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'as-e2e-repo-'));
  cpSync(join(repoRoot, 'playground'), dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.name', 'E2E User');
  git(dir, 'config', 'user.email', 'e2e@example.invalid');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'The playground');
  return dir;
}

/** Worktree folders by branch, as git lists them from the main tree. */
function worktrees(main: string): Map<string, string> {
  const out = new Map<string, string>();
  let path: string | undefined;
  for (const line of git(main, 'worktree', 'list', '--porcelain').split('\n')) {
    if (line.startsWith('worktree ')) path = line.slice(9);
    else if (line.startsWith('branch refs/heads/') && path) out.set(line.slice(18), path);
  }
  return out;
}

const retitle = (to: string) => script.toolCall('edit_file', { path: 'README.md', edits: [{ oldText: TITLE_LINE, newText: to }] });

void describe('e2e flows: a git worktree per session (isolation, commit, apply with a conflict, reload, terminal)', { skip: e2eSkipReason() || extensionMissing() }, () => {
  let vs: VsCode | undefined;
  let fake: FakeLlm | undefined;
  let router: Router;
  let ui: AgentUi;
  let fixture: string;
  before(async () => {
    fixture = makeRepo();
    fake = await startFakeLlm();
    router = new Router(fake);
    vs = await launchVsCode({
      name: 'flows-worktrees', vsix: repoVsix(), folder: fixture,
      settings: fakeProviderSettings(fake, {
        'agentSessions.defaultMode': 'auto-edit',
        'files.autoSave': 'off',
        'git.openRepositoryInParentFolders': 'always',
        'terminal.integrated.gpuAcceleration': 'off',
      }),
    });
    ui = new AgentUi(vs);
    await ui.openByCommand();
    await vs.waitForActivation(EXTENSION_ID);
    await ui.widenSideBar(560);
  });
  after(async () => {
    await vs?.close();
    await fake?.close();
    rmSync(fixture, { recursive: true, force: true });
  });

  /** "+" → form → "A new worktree" → title → Create; waits for the tab with its branch chip. */
  async function createWorktreeSession(title: string): Promise<void> {
    const web = await ui.web();
    await web.locator('as-tab-strip').getByRole('button', { name: 'New session', exact: true }).click();
    const form = web.getByRole('form', { name: 'New session' });
    await form.waitFor();
    await form.locator('#provider').selectOption({ label: OPENAI_LABEL });
    await form.locator('#title').fill(title);
    const option = form.getByRole('radio', { name: 'A new worktree' });
    await waitFor(() => option.isEnabled(), 15_000, 'the worktree option to be enabled (a git repository)');
    await option.check();
    await form.getByRole('button', { name: 'Create session' }).click();
    await form.waitFor({ state: 'hidden', timeout: 60_000 });
    await web.locator('[role="tab"][aria-selected="true"]').filter({ hasText: title }).waitFor();
    await waitFor(() => web.getByRole('textbox', { name: 'Prompt' }).isEnabled(), 10_000, 'the prompt box to be enabled');
  }

  /** The visible session's Bring-back button. */
  async function bringBack(action: 'apply' | 'commit' | 'discard') {
    return (await ui.web()).locator(`as-worktree-bar [data-action="${action}"]`);
  }

  /** Picks the quick pick row that contains `text`. */
  async function pick(text: string | RegExp): Promise<void> {
    const page = vs!.page;
    const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row').filter({ hasText: text }).first();
    await row.waitFor({ timeout: 20_000 });
    await row.click();
  }

  void test('two sessions in two worktrees change the same line; the main tree stays as it was', async () => {
    const v = vs!;
    await v.guard(async () => {
      router.add('left', script.of(script.text('Retitling.'), retitle('# Playground (left)')), script.text('Left retitled the README.'));
      router.add('right', script.of(script.text('Retitling.'), retitle('# Playground (right)')), script.text('Right retitled the README.'));
      await createWorktreeSession('Left');
      await ui.send('Retitle the README [[left]]');
      await ui.waitForText('Left retitled the README.');
      await createWorktreeSession('Right');
      await ui.send('Retitle the README [[right]]');
      await ui.waitForText('Right retitled the README.');

      const trees = worktrees(v.dirs.workspace);
      const left = [...trees].find(([b]) => b.startsWith('agent/left-'));
      const right = [...trees].find(([b]) => b.startsWith('agent/right-'));
      assert.ok(left && right, `both branches have worktrees: ${[...trees.keys()].join(', ')}`);
      assert.match(readFileSync(join(left[1], 'README.md'), 'utf8'), /^# Playground \(left\)$/m);
      assert.match(readFileSync(join(right[1], 'README.md'), 'utf8'), /^# Playground \(right\)$/m);
      assert.match(v.readWorkspaceFile('README.md') ?? '', /^# Playground$/m, 'the main tree is untouched');
      assert.equal(git(v.dirs.workspace, 'status', '--porcelain'), '', 'nothing changed in the main tree');
      const chip = (await ui.tab('Left')).locator('[data-branch]');
      await chip.waitFor();
      // The header's figures come from git in the worktree: the edit is there, uncommitted.
      const figures = (await ui.web()).locator('as-worktree-bar [data-worktree-status]');
      await waitFor(async () => /1 uncommitted/.test(await figures.innerText().catch(() => '')), 15_000, 'the header to count the uncommitted file');
      keepForReadme(await v.screenshot('two-worktrees'), 'worktree-sessions.png');
    });
  });

  void test('the first is committed on its branch (the model drafts the message) and merges back cleanly', async () => {
    const v = vs!;
    await v.guard(async () => {
      await ui.select('Left');
      // The draft is a side request with the worktree's diff and no history (so no tag): matched by its text.
      router.addUntagged(/Write the commit message/, script.text('Retitle the README for the left variant'));
      await (await bringBack('commit')).click();
      const input = v.page.locator('.quick-input-widget input');
      await waitFor(async () => (await input.isVisible()) && (await input.inputValue()).includes('Retitle the README for the left variant'), 30_000, 'the drafted commit message in the input box');
      await input.press('Enter');
      await ui.waitForText(/Committed 1 file\(s\) on agent\/left-/, 30_000);

      await (await bringBack('apply')).click();
      await pick(/Merge/);
      await ui.waitForText(/Merged the session branch into the main tree: 1 file\(s\)/, 30_000);
      await v.waitForWorkspaceFile('README.md', (t) => /^# Playground \(left\)$/m.test(t));
      assert.match(git(v.dirs.workspace, 'log', '-1', '--format=%s'), /Merge/i, 'a merge commit on main');
      assert.equal(git(v.dirs.workspace, 'status', '--porcelain'), '', 'merged and committed: nothing left uncommitted');
    });
  });

  void test('the second, applied as uncommitted changes, conflicts on that line and opens the merge editor', async () => {
    const v = vs!;
    await v.guard(async () => {
      await ui.select('Right');
      await (await bringBack('apply')).click();
      await pick(/uncommitted/i);
      await ui.waitForText(/1 with conflicts \(README\.md\)/, 30_000);
      await v.page.locator('.tabs-container .tab', { hasText: /Merging: README\.md/ }).first().waitFor({ timeout: 30_000 });
      // Both sides of the conflicting line show in the merge editor (main tree: left; the session branch: right).
      const editorArea = v.page.locator('.editor-group-container.active');
      await editorArea.getByText('# Playground (left)').first().waitFor({ timeout: 20_000 });
      await editorArea.getByText('# Playground (right)').first().waitFor({ timeout: 20_000 });
      const text = v.readWorkspaceFile('README.md') ?? '';
      assert.match(text, /^<<<<<<< /m, 'conflict markers in the main tree file');
      assert.match(text, /\(left\)/);
      assert.match(text, /\(right\)/);
      keepForReadme(await v.screenshot('merge-editor'), 'worktree-merge-editor.png');
    });
  });

  void test('a window reload keeps both sessions in their worktrees; the session terminal opens in the worktree', async () => {
    const v = vs!;
    await v.guard(async () => {
      await v.reload();
      await ui.web(60_000);
      for (const title of ['Left', 'Right']) await (await ui.tab(title)).locator('[data-branch]').waitFor({ timeout: 30_000 });
      await ui.select('Right');
      const right = [...worktrees(v.dirs.workspace)].find(([b]) => b.startsWith('agent/right-'))!;
      await (await ui.web()).locator('as-worktree-bar [data-branch-link]').waitFor();

      router.add('right', script.of(script.toolCall('read_file', { path: 'README.md' })), script.text('Still in my worktree after the reload.'));
      await ui.send('Read the README again [[right]]');
      await ui.waitForText('Still in my worktree after the reload.');
      const lastTool = router.requests('right').at(-1)!.rawBody;
      assert.match(lastTool, /\(right\)/, 'read_file read the worktree\'s README, not the main tree\'s');

      await (await ui.web()).locator('as-session-header [data-terminal]').click();
      await v.page.locator('.terminal-tabs-entry, .single-terminal-tab, .terminal-tab').filter({ hasText: 'Agent: Right' }).first().waitFor({ timeout: 30_000 });
      const out = join(tmpdir(), `as-e2e-pwd-${process.pid}.txt`);
      rmSync(out, { force: true });
      await v.page.locator('.terminal-wrapper.active .xterm, .terminal .xterm').first().click();
      await v.page.keyboard.type(`pwd > ${out}\n`, { delay: 10 });
      const cwd = await waitFor(() => (existsSync(out) ? readFileSync(out, 'utf8').trim() || undefined : undefined), 20_000, 'the terminal to write its cwd');
      assert.equal(realpathSync(cwd), realpathSync(right[1]), 'the terminal runs in the session\'s worktree');
      await v.screenshot('session-terminal');
    });
  });
});
