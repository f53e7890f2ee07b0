// What the end-to-end flows share: provider settings pointing at the fake LLM server, a
// responder that routes each model request to the scripts of its session (by a [[tag]] the
// test puts in the session's prompts), and a page object for the Agent Sessions webview.
import { mkdirSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Locator } from 'playwright-core';
import { script, type FakeLlm, type RecordedRequest, type Script } from '../fake-llm';
import { repoRoot, type VsCode } from './harness';
import { waitFor } from '../../scripts/code-server.mjs';

export const EXTENSION_ID = 'agent-sessions.agent-sessions';
export const OPENAI_LABEL = 'Fake OpenAI';
export const ANTHROPIC_LABEL = 'Fake Anthropic';

/** User settings: one OpenAI-format and one Anthropic-format profile, both on the fake server. */
export function fakeProviderSettings(fake: FakeLlm, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    'agentSessions.providers': [
      { id: 'fake-openai', label: OPENAI_LABEL, kind: 'openai', baseUrl: fake.openaiBaseUrl, models: ['fake-gpt'], requiresKey: false },
      { id: 'fake-anthropic', label: ANTHROPIC_LABEL, kind: 'anthropic', baseUrl: fake.anthropicBaseUrl, models: ['fake-claude'], requiresKey: false },
    ],
    'agentSessions.defaultProvider': 'fake-openai',
    ...extra,
  };
}

const TAG = /\[\[([a-z0-9-]+)\]\]/;

/** The session tag of a request: the first [[tag]] anywhere in its body (prompts, history, summaries). */
export function tagOf(req: RecordedRequest): string | undefined {
  return TAG.exec(req.rawBody)?.[1];
}

/** The engine's own request for a session title (src/core/session/auto-title.ts), answered apart from the scripts. */
export function isTitleRequest(req: RecordedRequest): boolean {
  return req.method === 'POST' && req.rawBody.includes('You name chat sessions');
}

/** Only model requests of the session's turns (not GET /v1/models, not title requests). */
export function isModelRequest(req: RecordedRequest): boolean {
  return req.method === 'POST' && !isTitleRequest(req);
}

/**
 * Per-session script queues: each model request takes the next script queued for its tag, so
 * concurrent sessions never take each other's answers. An unscripted request gets a short
 * text that says so (visible in the transcript, which makes a wrong route easy to see).
 */
export class Router {
  private readonly routes = new Map<string, Script[]>();
  /** Untagged requests (side requests that carry no history, e.g. a commit message draft) by what their body contains. */
  private readonly untagged: Array<{ match: RegExp; scripts: Script[] }> = [];

  constructor(private readonly fake: FakeLlm) {
    fake.setResponder((req) => {
      const tag = tagOf(req);
      // Title requests never take a session's scripts; the title names the tag, so tests can find it.
      if (isTitleRequest(req)) return script.text(tag ? `Titled ${tag}` : 'Titled session');
      const next = tag ? this.routes.get(tag)?.shift() : this.untagged.find((u) => u.match.test(req.rawBody) && u.scripts.length > 0)?.scripts.shift();
      return next ?? script.text(`(no script for ${tag ?? 'an untagged request'})`);
    });
  }

  /** Queues scripts for untagged requests whose body matches `match`. */
  addUntagged(match: RegExp, ...scripts: Script[]): void {
    this.untagged.push({ match, scripts });
  }

  /** Queues scripts for the session whose prompts carry `[[tag]]`. */
  add(tag: string, ...scripts: Script[]): void {
    this.routes.set(tag, [...(this.routes.get(tag) ?? []), ...scripts]);
  }

  /** Model requests of one session so far. */
  requests(tag: string): RecordedRequest[] {
    return this.fake.requests.filter((r) => isModelRequest(r) && tagOf(r) === tag);
  }

  /** Waits until the session has sent at least `n` model requests; returns them. */
  waitForRequests(tag: string, n: number, timeoutMs = 20_000): Promise<RecordedRequest[]> {
    return waitFor(() => {
      const r = this.requests(tag);
      return r.length >= n ? r : undefined;
    }, timeoutMs, `${n} model request(s) for [[${tag}]]`);
  }
}

/** A paced text answer: `n` chunks `ms` apart (so a test can act while it streams). */
export function pacedText(text: string, chunks: number, ms: number): Script {
  return script.paced(script.text(text, chunks), ms);
}

/** The Agent Sessions webview as a user sees it. Locators pierce the elements' shadow roots. */
export class AgentUi {
  constructor(readonly vs: VsCode) {}

  /** The webview hosting <as-app> (looked up again each time: reloads replace the frames). */
  web(timeoutMs = 30_000): Promise<FrameLocator> {
    return this.vs.webview({ containing: 'as-app', timeoutMs });
  }

  async tab(title: string): Promise<Locator> {
    return (await this.web()).locator('[role="tab"]').filter({ hasText: title });
  }

  /** Drags the side bar's edge so the view is `width` px wide (roomier screenshots). */
  async widenSideBar(width: number): Promise<void> {
    const page = this.vs.page;
    const box = await page.locator('.part.sidebar').boundingBox();
    if (!box) throw new Error('no side bar');
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + box.width - 1, y);
    await page.mouse.down();
    await page.mouse.move(box.x + width, y, { steps: 5 });
    await page.mouse.up();
    await waitFor(async () => ((await page.locator('.part.sidebar').boundingBox())?.width ?? 0) > box.width + 50, 5_000, 'the side bar to widen');
  }

  /** Opens the view via the palette's "New Session" command and waits for the app. */
  async openByCommand(): Promise<FrameLocator> {
    await this.vs.runCommand('Agent Sessions: New Session');
    return this.web();
  }

  /** "+" → form → provider by label, title → "Create session"; waits for the selected tab. */
  async createSession(providerLabel: string, title: string): Promise<Locator> {
    const web = await this.web();
    await web.locator('as-tab-strip').getByRole('button', { name: 'New session', exact: true }).click();
    const form = web.getByRole('form', { name: 'New session' });
    await form.waitFor();
    await form.locator('#provider').selectOption({ label: providerLabel });
    await form.locator('#title').fill(title);
    await form.getByRole('button', { name: 'Create session' }).click();
    await form.waitFor({ state: 'hidden' });
    const tab = web.locator('[role="tab"][aria-selected="true"]').filter({ hasText: title });
    await tab.waitFor();
    const box = web.getByRole('textbox', { name: 'Prompt' });
    await waitFor(() => box.isEnabled(), 10_000, 'the prompt box to be enabled');
    return tab;
  }

  /**
   * "Agent Sessions: Set API Key" → pick the provider → type the key. (Test keys only.)
   * Needed for the Anthropic-format profile: core's AnthropicProvider refuses to send without a
   * key even when the profile says requiresKey: false (see the e2e report).
   */
  async setApiKey(providerLabel: string, key: string): Promise<void> {
    const page = this.vs.page;
    await this.vs.runCommand('Agent Sessions: Set API Key');
    const row = page.locator('.quick-input-list .monaco-list-row').filter({ hasText: providerLabel }).first();
    await row.click();
    const input = page.locator('.quick-input-widget input');
    await page.locator('.quick-input-widget').getByText(`API key for ${providerLabel}`).waitFor();
    await input.fill(key);
    await input.press('Enter');
    await page.locator('.notifications-toasts').getByText(`API key for ${providerLabel} saved`).waitFor();
  }

  /** Shows a session's tab. */
  async select(title: string): Promise<void> {
    const t = await this.tab(title);
    await t.click();
    await (await this.web()).locator('[role="tab"][aria-selected="true"]').filter({ hasText: title }).waitFor();
  }

  /** Types a prompt into the visible session and presses Enter. */
  async send(text: string): Promise<void> {
    const box = (await this.web()).getByRole('textbox', { name: 'Prompt' });
    await box.fill(text);
    await box.press('Enter');
  }

  /** The visible transcript. */
  async transcript(): Promise<Locator> {
    return (await this.web()).getByRole('log', { name: 'Transcript' });
  }

  /** Waits until the visible transcript shows `text`. */
  async waitForText(text: string | RegExp, timeoutMs = 20_000): Promise<void> {
    await (await this.transcript()).getByText(text).first().waitFor({ timeout: timeoutMs });
  }

  /** The activity badge of a tab ('streaming', 'waiting', 'paused', 'done', …). */
  async activity(title: string): Promise<string | null> {
    return (await this.tab(title)).locator('.badge').getAttribute('data-activity');
  }

  async waitForActivity(title: string, activity: string | RegExp, timeoutMs = 20_000): Promise<void> {
    await waitFor(async () => {
      const a = await this.activity(title).catch(() => null);
      return a !== null && (typeof activity === 'string' ? a === activity : activity.test(a)) ? true : undefined;
    }, timeoutMs, `tab "${title}" to be ${String(activity)}`);
  }

  /** The visible session's approval card for a tool. */
  async approvalCard(toolName: string): Promise<Locator> {
    return (await this.web()).getByRole('group', { name: `Approval needed: ${toolName}` });
  }

  /** A header button of the visible session (Compact / Pause / Resume / Cancel). */
  async headerButton(name: string): Promise<Locator> {
    return (await this.web()).locator('as-session-header').getByRole('button', { name, exact: true });
  }
}

/** Copies a screenshot into media/screenshots/ for the Marketplace README. */
export function keepForReadme(shot: string, name: string): void {
  const dir = join(repoRoot, 'media/screenshots');
  mkdirSync(dir, { recursive: true });
  copyFileSync(shot, join(dir, name));
}
