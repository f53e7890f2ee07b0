// Sessions with a git worktree of their own, in headless Chromium with the real bundle and a fake
// host: the new-session form's "Where it works", the tabs' branch chip and overlap marker, the
// header's worktree row (Source Control, terminal, Bring-back actions and their results), the
// problem banner that locks the composer, the delete confirmation's worktree choice, and the
// README screenshots of the form and the header.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { SessionEventBody } from '../../src/shared/events';
import type { HostMessage, SessionSummary, WebviewMessage } from '../../src/shared/protocol';
import type { WorktreeStatus, WorktreeSupport } from '../../src/shared/worktree';
import { baseLog, openLive, type LivePage } from './checkpoint-fixtures';
import { launch, openWebview, opened, snapshot, snapshotMessage, summary, type WebviewPage } from './harness';
import { applyTheme } from './themes';

let browser: Browser;
void before(async () => { browser = await launch(); });
void after(async () => { await browser?.close(); });

const BRANCH = 'agent/fix-login-1a2b3c';
const WT_PATH = '/home/u/.agent-sessions/worktrees/fix-login-1a2b3c';
const created: SessionEventBody = {
  type: 'worktree.created', path: WT_PATH, branch: BRANCH, repoRoot: '/ws',
  base: { ref: 'HEAD', commit: '0123456789abcdef0123456789abcdef01234567', branch: 'main' },
};
/** Session `a` ("Alpha") in its own worktree, two finished turns. */
const worktreeLog = (): SessionEventBody[] => { const l = baseLog(); return [l[0], created, ...l.slice(1)]; };
const status = (ahead: number, uncommitted: string[]): { status: WorktreeStatus } => ({ status: { ahead, uncommitted, headCommit: 'feedface00112233' } });
const support: WorktreeSupport = {
  available: true, repoRoot: '/ws', head: { branch: 'main', commit: '0123456789abcdef', detached: false }, dirtyFiles: 3,
  gitVersion: '2.39.5', submodules: true, refs: ['main', 'release/1.2', 'v1.1'],
};

/** Opens the new-session form and answers its `worktrees.support` with `answer`. */
async function openForm(w: WebviewPage, answer: WorktreeSupport, host: Partial<Extract<HostMessage, { kind: 'snapshot' }>['host']> = {}) {
  const msg = snapshotMessage([snapshot('a', { title: 'Alpha' })], [opened(snapshot('a', { title: 'Alpha' }))], 'a') as Extract<HostMessage, { kind: 'snapshot' }>;
  await w.push({ ...msg, host: { ...msg.host, ...host } });
  await w.page.locator('as-tab-strip').getByRole('button', { name: 'New session', exact: true }).click();
  await w.reply((await w.waitForRequest('worktrees.support')).id, { support: answer });
  return w.page.getByRole('form', { name: 'New session' });
}

const inHeader = (p: Page) => p.locator('as-session-header');
type Request = Extract<WebviewMessage, { kind: 'request' }>;
const requests = async (w: WebviewPage, method: string): Promise<Request[]> => (await w.posted()).filter((m): m is Request => m.kind === 'request' && m.method === method);

/** Replies to the webview's `n`th `worktrees.status` request. */
async function answerStatus(l: LivePage, n: number, s: { status: WorktreeStatus }): Promise<void> {
  await l.w.reply((await l.request('worktrees.status', n)).id, s);
}

async function screenshot(page: Page, name: string): Promise<void> {
  const dir = join(process.cwd(), 'media/screenshots');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  await page.mouse.move(0, 0);
  await page.screenshot({ path: file });
  console.log(`# screenshot: ${file}`);
}

void describe('worktrees in the webview', () => {
  void test('the form disables "A new worktree" with the host\'s reason next to it, and creates in the shared workspace', async () => {
    const w = await openWebview(browser);
    const form = await openForm(w, { available: false, reason: 'not a git repository' });
    const worktree = form.getByRole('radio', { name: 'A new worktree' });
    await form.getByText('(not a git repository)').waitFor();
    assert.equal(await worktree.isDisabled(), true);
    assert.equal(await form.getByRole('radio', { name: 'This workspace' }).isChecked(), true);
    assert.equal(await worktree.getAttribute('aria-describedby'), 'ws-why', 'the reason is the radio\'s description');
    assert.equal(await form.getByRole('radiogroup', { name: 'Where it works' }).count(), 1, 'a labelled group');
    await form.getByRole('button', { name: 'Create session' }).click();
    const create = await w.waitForRequest('sessions.create');
    assert.equal((create.params as { workspace?: unknown }).workspace, undefined, 'the host\'s default: the shared workspace');
    await w.page.close();
  });

  void test('a worktree chosen by keyboard: base from the refs, carry or start clean, submodules noted; create sends the choice', async () => {
    const w = await openWebview(browser);
    const form = await openForm(w, support);
    assert.equal(await form.getByRole('combobox', { name: 'Base' }).count(), 0, 'no base field for the shared workspace');
    await form.getByRole('radio', { name: 'This workspace' }).focus();
    await w.page.keyboard.press('ArrowDown');
    assert.equal(await form.getByRole('radio', { name: 'A new worktree' }).isChecked(), true);
    const base = form.getByRole('combobox', { name: 'Base' });
    assert.equal(await base.inputValue(), 'HEAD', 'HEAD by default');
    assert.deepEqual(await form.locator('datalist#ws-refs option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value)), ['HEAD', 'main', 'release/1.2', 'v1.1']);
    assert.match(await form.locator('#ws-base-hint').innerText(), /New branch agent\/session-… from HEAD \(main at 01234567\)/);
    await form.getByRole('textbox', { name: 'Title' }).fill('Fix login');
    await form.getByText('New branch agent/fix-login-… from HEAD').waitFor();
    const carry = form.getByRole('radiogroup', { name: 'Uncommitted' });
    assert.equal(await carry.getByRole('radio', { name: 'Carry over the 3 uncommitted files (the main tree stays as it is)' }).isChecked(), true);
    await form.locator('[data-submodules]').waitFor();

    // A base that could be read as an option is refused here, with the field saying why.
    await base.fill('-c core.pager=evil');
    await form.getByRole('button', { name: 'Create session' }).click();
    await form.getByRole('alert').filter({ hasText: 'may not start with “-”' }).waitFor();
    assert.equal(await base.getAttribute('aria-invalid'), 'true');
    assert.equal((await requests(w, 'sessions.create')).length, 0);

    await base.fill('release/1.2');
    await carry.getByRole('radio', { name: 'Start clean from release/1.2' }).check();
    await form.getByRole('button', { name: 'Create session' }).click();
    const create = await w.waitForRequest('sessions.create');
    assert.deepEqual(create.params, {
      providerId: 'openai', model: 'gpt-test', mode: 'ask', title: 'Fix login', workspace: { kind: 'worktree', base: 'release/1.2', carry: 'clean' },
    });
    await w.page.close();
  });

  void test('the host\'s default worktree is preselected; picking this workspace says so; a clean tree carries nothing', async () => {
    const w = await openWebview(browser);
    const form = await openForm(w, { ...support, dirtyFiles: 0, submodules: false }, { defaultWorkspace: 'worktree' });
    assert.equal(await form.getByRole('radio', { name: 'A new worktree' }).isChecked(), true);
    assert.equal(await form.getByRole('radiogroup', { name: 'Uncommitted' }).count(), 0, 'nothing to carry');
    assert.equal(await form.locator('[data-submodules]').count(), 0);
    await form.getByRole('button', { name: 'Create session' }).click();
    assert.deepEqual((await w.waitForRequest('sessions.create')).params, { providerId: 'openai', model: 'gpt-test', mode: 'ask', workspace: { kind: 'worktree', base: 'HEAD', carry: 'clean' } });

    await w.page.locator('as-tab-strip').getByRole('button', { name: 'New session', exact: true }).click();
    await w.reply((await requests(w, 'worktrees.support'))[1].id, { support });
    await form.getByRole('radio', { name: 'This workspace' }).check();
    await form.getByRole('button', { name: 'Create session' }).click();
    for (let i = 0; (await requests(w, 'sessions.create')).length < 2 && i < 100; i++) await w.page.waitForTimeout(20);
    assert.deepEqual((await requests(w, 'sessions.create'))[1].params, { providerId: 'openai', model: 'gpt-test', mode: 'ask', workspace: { kind: 'shared' } });
    await w.page.close();
  });

  void test('tabs: a branch chip on worktree sessions, an overlap marker with who changed which files', async () => {
    const w = await openWebview(browser);
    const a = snapshot('a', { title: 'Alpha' });
    const b = snapshot('b', { title: 'Beta' });
    const c = snapshot('c', { title: 'Gamma' });
    const rows: SessionSummary[] = [
      { ...summary(a), sharedFiles: [{ sessionId: 'b', title: 'Beta', files: ['src/a.ts', 'src/b.ts'] }] },
      { ...summary(b), sharedFiles: [{ sessionId: 'a', title: 'Alpha', files: ['src/a.ts', 'src/b.ts'] }] },
      { ...summary(c), worktree: { branch: BRANCH, path: WT_PATH, state: 'ok' } },
    ];
    const msg = snapshotMessage([a, b, c], [opened(a)], 'a') as Extract<HostMessage, { kind: 'snapshot' }>;
    await w.push({ ...msg, sessions: rows });
    const gamma = w.page.getByRole('tab', { name: /^Gamma/ });
    const chip = gamma.locator('[data-branch]');
    await chip.waitFor();
    assert.equal((await chip.innerText()).trim(), 'fix-login-1a2b3c');
    assert.equal(await chip.getAttribute('title'), `Works in its own worktree on branch ${BRANCH}\nFolder: ${WT_PATH}`);
    assert.match((await gamma.getAttribute('aria-label')) ?? '', new RegExp(`worktree branch ${BRANCH}`));
    assert.equal(await w.page.getByRole('tab', { name: /^Alpha/ }).locator('[data-branch]').count(), 0, 'none in the shared tree');

    const marker = w.page.getByRole('tab', { name: /^Alpha/ }).locator('[data-overlap]');
    assert.equal(await marker.getAttribute('title'), 'Also changed by “Beta”: src/a.ts, src/b.ts');
    assert.match((await w.page.getByRole('tab', { name: /^Beta/ }).locator('[data-overlap]').getAttribute('title')) ?? '', /Also changed by “Alpha”/);
    assert.match((await w.page.getByRole('tab', { name: /^Alpha/ }).getAttribute('aria-label')) ?? '', /files also changed by another session: Also changed by “Beta”: src\/a\.ts, src\/b\.ts/);
    assert.equal(await gamma.locator('[data-overlap]').count(), 0);

    // The list moves on: the overlap is gone, Gamma's worktree went missing.
    await w.push({ kind: 'sessions', sessions: [summary(a), summary(b), { ...rows[2], worktree: { branch: BRANCH, path: WT_PATH, state: 'missing' } }] });
    await w.page.getByRole('tab', { name: /^Alpha/ }).locator('[data-overlap]').waitFor({ state: 'detached' });
    assert.equal(await chip.getAttribute('data-state'), 'missing');
    assert.match((await gamma.getAttribute('aria-label')) ?? '', /\(missing\)/);
    await w.page.close();
  });

  void test('header: branch, status figures, terminal and the Bring-back actions send the right requests and show what they did', async () => {
    const l = await openLive(browser, worktreeLog());
    const header = inHeader(l.w.page);
    await answerStatus(l, 0, status(2, ['src/a.ts', 'src/b.ts', 'notes.md']));
    const figures = header.locator('[data-worktree-status]');
    await figures.getByText('2 commits ahead · 3 uncommitted').waitFor();
    assert.match((await figures.getAttribute('title')) ?? '', /Uncommitted:\nsrc\/a\.ts\nsrc\/b\.ts\nnotes\.md/);
    assert.equal(await l.w.page.getByRole('tab', { name: /^Alpha/ }).locator('[data-branch]').count(), 1, 'the tab has the chip from the opened log');

    await header.getByRole('button', { name: BRANCH }).click();
    assert.deepEqual((await l.request('worktrees.action', 0)).params, { sessionId: 'a', action: 'openScm' });
    await l.w.reply((await l.request('worktrees.action', 0)).id, { done: true });
    await header.getByRole('button', { name: 'Terminal' }).click();
    assert.deepEqual((await l.request('sessions.terminal', 0)).params, { sessionId: 'a' });
    assert.match((await header.getByRole('button', { name: 'Terminal' }).getAttribute('title')) ?? '', new RegExp(`a shell in its worktree ${WT_PATH}`));
    await header.getByRole('button', { name: 'Follow commands' }).click();
    assert.deepEqual((await l.request('sessions.terminal', 1)).params, { sessionId: 'a', follow: true });

    const group = header.getByRole('group', { name: 'Bring back' });
    await group.getByRole('button', { name: 'Apply…' }).click();
    const apply = await l.request('worktrees.action', 1);
    assert.deepEqual(apply.params, { sessionId: 'a', action: 'apply' });
    await group.getByRole('button', { name: 'Applying…' }).waitFor();
    assert.equal(await group.getByRole('button', { name: 'Commit…' }).isDisabled(), true, 'one action at a time');
    await l.w.reply(apply.id, { done: true, apply: {
      mode: 'merge', outcome: 'conflicts', files: ['src/a.ts', 'src/b.ts'], conflicts: [{ path: '/ws/src/a.ts', label: 'src/a.ts' }],
      message: `Merged ${BRANCH} into main: 2 files`,
    } });
    const result = header.locator('[data-action-result]');
    await result.getByText(`Merged ${BRANCH} into main: 2 files — 1 file with conflicts to resolve (src/a.ts)`).waitFor();
    assert.equal(await result.getAttribute('data-warn'), '');
    await answerStatus(l, 1, status(0, ['src/a.ts'])); // asked again after the action
    await figures.getByText('1 uncommitted').waitFor();

    await group.getByRole('button', { name: 'Commit…' }).click();
    const commit = await l.request('worktrees.action', 2);
    assert.deepEqual(commit.params, { sessionId: 'a', action: 'commit' });
    await l.w.reply(commit.id, { done: true, commit: 'c0ffee1234567890' });
    await result.getByText(`Committed c0ffee12 on ${BRANCH}`).waitFor();

    // A dismissed dialog says nothing new; a failed action says why, in place.
    await group.getByRole('button', { name: 'Discard…' }).click();
    const discard = await l.request('worktrees.action', 3);
    assert.deepEqual(discard.params, { sessionId: 'a', action: 'discard' });
    await l.fail(discard.id, 'invalid_state', 'Cannot discard while a turn runs');
    await header.locator('[data-action-error]').getByText('Cannot discard while a turn runs').waitFor();

    // A worktree event asks for the figures again.
    const before = (await requests(l.w, 'worktrees.status')).length;
    await l.push({ type: 'worktree.committed', commit: 'c0ffee1234567890', message: 'Fix login', files: 1 });
    await l.request('worktrees.status', before);
    await l.w.page.close();
  });

  void test('Apply and Discard wait for a running turn; a child in its parent\'s worktree has no Bring-back actions; a shared session has the terminal only', async () => {
    const l = await openLive(browser, [...worktreeLog(), { type: 'turn.started', turnId: 't3', promptId: 'p3', messageId: 'u3', text: 'go on' }]);
    const group = inHeader(l.w.page).getByRole('group', { name: 'Bring back' });
    await group.waitFor();
    assert.equal(await group.getByRole('button', { name: 'Apply…' }).isDisabled(), true);
    assert.equal(await group.getByRole('button', { name: 'Discard…' }).isDisabled(), true);
    assert.equal(await group.getByRole('button', { name: 'Commit…' }).isDisabled(), false);
    await l.w.page.close();

    const child = await openLive(browser, [baseLog()[0], { ...created, inheritedFrom: 'parent-1' }]);
    const row = inHeader(child.w.page).locator('[data-worktree-row]');
    await row.locator('[data-inherited]').waitFor();
    assert.equal(await inHeader(child.w.page).getByRole('group', { name: 'Bring back' }).count(), 0);
    await child.w.page.close();

    const shared = await openLive(browser);
    await inHeader(shared.w.page).getByRole('button', { name: 'Terminal' }).click();
    assert.deepEqual((await shared.request('sessions.terminal', 0)).params, { sessionId: 'a' });
    assert.equal(await inHeader(shared.w.page).locator('[data-worktree-row]').count(), 0);
    assert.equal((await requests(shared.w, 'worktrees.status')).length, 0, 'no worktree, no status');
    await shared.w.page.close();
  });

  void test('a missing worktree shows its problem and locks the composer with the reason; found again, it unlocks; discarded, it stays locked', async () => {
    const l = await openLive(browser, worktreeLog());
    const prompt = l.w.page.getByRole('textbox', { name: 'Prompt' });
    assert.equal(await prompt.isDisabled(), false);
    const problem = `The folder ${WT_PATH} is gone and branch ${BRANCH} could not be checked out again: run git worktree prune`;
    await l.push({ type: 'worktree.checked', state: 'missing', path: WT_PATH, problem });
    const banner = inHeader(l.w.page).getByRole('alert').filter({ hasText: problem });
    await banner.waitFor();
    await l.w.page.waitForFunction(() => document.querySelector('as-app')?.shadowRoot?.querySelector('as-composer')?.shadowRoot?.querySelector('textarea')?.disabled === true);
    assert.equal(await l.w.page.locator('as-composer [data-blocked]').innerText(), `Its worktree is missing: ${problem}`);
    assert.equal(await l.w.page.locator('as-composer').getByRole('button', { name: 'Send' }).isDisabled(), true);
    assert.equal(await inHeader(l.w.page).getByRole('button', { name: 'Terminal' }).isDisabled(), true);
    assert.equal(await l.w.page.getByRole('tab', { name: /^Alpha/ }).locator('[data-branch]').getAttribute('data-state'), 'missing', 'the tab follows');

    await l.push({ type: 'worktree.checked', state: 'ok', path: WT_PATH });
    await banner.waitFor({ state: 'detached' });
    await l.w.page.waitForFunction(() => document.querySelector('as-app')?.shadowRoot?.querySelector('as-composer')?.shadowRoot?.querySelector('textarea')?.disabled === false);

    await l.push({ type: 'worktree.checked', state: 'locked', path: WT_PATH, problem: 'locked by git worktree lock: run git worktree unlock' });
    await inHeader(l.w.page).locator('[data-worktree-problem="locked"]').getByText('run git worktree unlock').waitFor();
    assert.equal(await prompt.isDisabled(), false, 'a locked worktree still works');

    await l.push({ type: 'worktree.discarded', branchDeleted: false });
    await inHeader(l.w.page).locator('[data-worktree-problem="discarded"]').getByText(/can no longer run/).waitFor();
    assert.equal(await inHeader(l.w.page).getByRole('group', { name: 'Bring back' }).count(), 0, 'nothing to bring back');
    await l.w.page.waitForFunction(() => document.querySelector('as-app')?.shadowRoot?.querySelector('as-composer')?.shadowRoot?.querySelector('textarea')?.disabled === true);
    assert.match((await prompt.getAttribute('placeholder')) ?? '', /discarded: this session can no longer run/);
    await l.w.page.close();
  });

  void test('deleting a worktree session asks what to do with the worktree, says what removing loses, and passes the choice', async () => {
    const l = await openLive(browser, worktreeLog());
    await answerStatus(l, 0, status(1, ['src/a.ts', 'src/b.ts']));
    await inHeader(l.w.page).getByRole('button', { name: 'Delete session' }).click();
    const dialog = inHeader(l.w.page).getByRole('alertdialog', { name: 'Confirm delete' });
    const choices = dialog.getByRole('group', { name: `Its worktree (branch ${BRANCH}):` });
    assert.equal(await choices.getByRole('radio', { name: 'Keep worktree and branch' }).isChecked(), true, 'keeping loses nothing: the default');
    await answerStatus(l, 1, status(1, ['src/a.ts', 'src/b.ts']));
    await choices.getByRole('radio', { name: 'Remove worktree, keep branch' }).check();
    await dialog.getByRole('note').getByText('This loses 2 uncommitted files: commit or apply them first to keep them.').waitFor();
    await choices.getByRole('radio', { name: 'Remove both' }).check();
    await dialog.getByRole('note').getByText('This loses 2 uncommitted files and 1 commit of its branch: commit or apply them first to keep them.').waitFor();
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    assert.deepEqual((await l.request('sessions.delete', 0)).params, { sessionId: 'a', worktree: 'remove-all' });
    await l.w.page.close();

    // A child in its parent's worktree: nothing to choose, nothing passed.
    const child = await openLive(browser, [baseLog()[0], { ...created, inheritedFrom: 'parent-1' }]);
    await inHeader(child.w.page).getByRole('button', { name: 'Delete session' }).click();
    const d2 = inHeader(child.w.page).getByRole('alertdialog', { name: 'Confirm delete' });
    assert.equal(await d2.getByRole('radio').count(), 0);
    await d2.getByRole('button', { name: 'Delete', exact: true }).click();
    assert.deepEqual((await child.request('sessions.delete', 0)).params, { sessionId: 'a' });
    await child.w.page.close();
  });

  void test('README screenshots: the form with the worktree option and a worktree session\'s header (media/screenshots/worktree-*.png)', async () => {
    const w = await openWebview(browser);
    await w.page.setViewportSize({ width: 620, height: 330 });
    await applyTheme(w.page, 'dark');
    const form = await openForm(w, support);
    await form.getByRole('textbox', { name: 'Title' }).fill('Fix login');
    await form.getByRole('radio', { name: 'A new worktree' }).check();
    await form.locator('[data-submodules]').waitFor();
    await screenshot(w.page, 'worktree-form.png');
    assert.deepEqual(await w.cspViolations(), []);
    await w.page.close();

    const l = await openLive(browser, worktreeLog());
    await l.w.page.setViewportSize({ width: 620, height: 300 });
    await applyTheme(l.w.page, 'dark');
    await answerStatus(l, 0, status(2, ['src/login.ts', 'src/session.ts', 'test/login.test.ts']));
    const header = inHeader(l.w.page);
    await header.locator('[data-worktree-status]').waitFor();
    await header.getByRole('button', { name: 'Apply…' }).click();
    await l.w.reply((await l.request('worktrees.action', 0)).id, { done: true, apply: {
      mode: 'patch', outcome: 'clean', files: ['src/login.ts', 'src/session.ts', 'test/login.test.ts'], conflicts: [],
      message: 'Applied 3 files to the main tree as uncommitted changes',
    } });
    await header.locator('[data-action-result]').waitFor();
    await answerStatus(l, 1, status(2, ['src/login.ts', 'src/session.ts', 'test/login.test.ts']));
    await screenshot(l.w.page, 'worktree-header.png');
    assert.deepEqual(await l.w.cspViolations(), []);
    await l.w.page.close();
  });
});
