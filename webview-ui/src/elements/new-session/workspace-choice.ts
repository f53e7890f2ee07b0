/**
 * "Where it works" in the new-session form: the shared workspace, or a new git worktree of its own
 * (base ref, and whether the main tree's uncommitted files are carried over). A reactive controller
 * of the form: when the form opens it asks the host (`worktrees.support`) whether worktrees can be
 * made here; when not, the option stays disabled with the host's reason next to it.
 */
import { ContextConsumer } from '@lit/context';
import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { WorkspaceChoice, WorktreeSupport } from '../../../../src/shared/worktree';
import { worktreeBranchName } from '../../../../src/shared/worktree';
import { hostClientContext } from '../../host-client';

type Host = ReactiveControllerHost & HTMLElement;
type Kind = WorkspaceChoice['kind'];

/** What core accepts as a base (protocol-schema's gitRef: a name that can never be read as an option). */
const GIT_REF = /^[A-Za-z0-9_][A-Za-z0-9._/@^~{}+-]*$/;

/** Why `base` is not a ref name, or undefined when it may be one (git itself has the last word). */
export function baseProblem(base: string): string | undefined {
  if (base.length === 0) return undefined;
  if (base.length > 200) return 'Too long for a branch, tag or commit name (200 characters at most)';
  if (base.startsWith('-')) return 'A base may not start with “-”';
  if (!GIT_REF.test(base)) return 'Not a branch, tag or commit name (no spaces, “:”, “?”, “*” or “\\”)';
  return undefined;
}

export class WorkspaceChoiceController implements ReactiveController {
  /** The host's answer (undefined while it is asked). */
  support: WorktreeSupport | undefined;
  kind: Kind = 'shared';
  base = 'HEAD';
  carry: 'copy' | 'clean' = 'copy';
  /** Shown once the user tried to create with a bad base. */
  private showBaseError = false;
  private readonly client: ContextConsumer<typeof hostClientContext, Host>;
  private run = 0;

  constructor(private readonly host: Host, private readonly defaultKind: () => Kind | undefined) {
    this.client = new ContextConsumer(host, { context: hostClientContext });
    host.addController(this);
  }

  hostConnected(): void {
    this.kind = this.defaultKind() ?? 'shared';
    this.base = 'HEAD';
    this.carry = 'copy';
    this.showBaseError = false;
    this.support = undefined;
    const run = ++this.run;
    const client = this.client.value;
    if (!client) {
      this.settle(run, { available: false, reason: 'no host to ask' });
      return;
    }
    client.request('worktrees.support', {}).then(
      ({ support }) => this.settle(run, support),
      (err: unknown) => this.settle(run, { available: false, reason: `could not ask git: ${err instanceof Error ? err.message : String(err)}` }),
    );
  }

  hostDisconnected(): void {
    this.run++;
  }

  private settle(run: number, support: WorktreeSupport): void {
    if (run !== this.run) return;
    this.support = support;
    // The host's default cannot be had here: the option shows why, the session works in the shared tree.
    if (!support.available) this.kind = 'shared';
    this.host.requestUpdate();
  }

  /**
   * What `sessions.create` gets: undefined (the host's default, which is the shared tree), a
   * choice, or null when the base is not a ref name (the field says why and takes the focus).
   */
  read(root: ParentNode): WorkspaceChoice | undefined | null {
    if (this.kind === 'shared') return this.defaultKind() === 'worktree' ? { kind: 'shared' } : undefined;
    const base = this.base.trim() || 'HEAD';
    if (baseProblem(base)) {
      this.showBaseError = true;
      this.host.requestUpdate();
      root.querySelector<HTMLInputElement>('#ws-base')?.focus();
      return null;
    }
    // Not known yet (created before git answered): core decides whether there is anything to carry.
    if (!this.support?.available) return { kind: 'worktree', base };
    return { kind: 'worktree', base, carry: this.support.dirtyFiles > 0 ? this.carry : 'clean' };
  }

  /** The form's rows (label cell, control cell, as the form's grid lays them out). `title`: the title typed so far. */
  render(title: string): TemplateResult {
    const s = this.support;
    const available = s?.available === true;
    const why = s === undefined ? 'checking git…' : s.available ? '' : s.reason;
    return html`
      <span id="ws-label">Where it works</span>
      <div class="choices" role="radiogroup" aria-labelledby="ws-label" data-workspace>
        <label><input type="radio" name="ws-kind" value="shared" .checked=${this.kind === 'shared'} @change=${() => this.pick('shared')}>This workspace</label>
        <label class=${available ? '' : 'disabled'} title=${available ? `A git worktree of its own on a new branch (git ${s.gitVersion}), in a folder apart from ${s.repoRoot}` : why}>
          <input type="radio" name="ws-kind" value="worktree" ?disabled=${!available} .checked=${this.kind === 'worktree'}
            aria-describedby=${why ? 'ws-why' : nothing} @change=${() => this.pick('worktree')}>A new worktree</label>
        ${why ? html`<span id="ws-why" class="muted why" data-worktree-reason>(${why})</span>` : nothing}
      </div>
      ${this.kind === 'worktree' ? this.renderWorktree(title) : nothing}`;
  }

  private renderWorktree(title: string) {
    const s = this.support?.available ? this.support : undefined;
    const base = this.base.trim() || 'HEAD';
    const problem = this.showBaseError ? baseProblem(base) : undefined;
    const head = s ? `${s.head.branch ?? 'detached HEAD'} at ${s.head.commit.slice(0, 8)}` : '';
    const branch = `${worktreeBranchName(title || 'session', '')}…`;
    const refs = s ? ['HEAD', ...s.refs.filter((r) => r !== 'HEAD')] : ['HEAD'];
    return html`
      <label for="ws-base">Base</label>
      <div class="base">
        <input id="ws-base" list="ws-refs" .value=${this.base} maxlength="200" autocomplete="off" spellcheck="false"
          aria-invalid=${problem ? 'true' : 'false'} aria-describedby=${problem ? 'ws-base-error ws-base-hint' : 'ws-base-hint'}
          @input=${(e: Event) => this.setBase((e.target as HTMLInputElement).value)}>
        <datalist id="ws-refs">${refs.map((r) => html`<option value=${r}></option>`)}</datalist>
        <span id="ws-base-hint" class="muted">New branch ${branch} from ${base === 'HEAD' && head ? `HEAD (${head})` : base}</span>
        ${problem ? html`<span id="ws-base-error" class="error" role="alert">${problem}</span>` : nothing}
      </div>
      ${s && s.dirtyFiles > 0 ? html`
        <span id="ws-carry-label">Uncommitted</span>
        <div class="choices stacked" role="radiogroup" aria-labelledby="ws-carry-label" data-carry>
          <label><input type="radio" name="ws-carry" value="copy" .checked=${this.carry === 'copy'} @change=${() => this.setCarry('copy')}>
            Carry over the ${s.dirtyFiles} uncommitted file${s.dirtyFiles === 1 ? '' : 's'} (the main tree stays as it is)</label>
          <label><input type="radio" name="ws-carry" value="clean" .checked=${this.carry === 'clean'} @change=${() => this.setCarry('clean')}>
            Start clean from ${base}</label>
        </div>` : nothing}
      ${s?.submodules ? html`<span class="hint muted" data-submodules>The repository has submodules: the worktree gets the ones initialised in the main tree.</span>` : nothing}`;
  }

  private pick(kind: Kind): void {
    this.kind = kind;
    this.host.requestUpdate();
  }

  private setBase(value: string): void {
    this.base = value;
    this.host.requestUpdate();
  }

  private setCarry(carry: 'copy' | 'clean'): void {
    this.carry = carry;
    this.host.requestUpdate();
  }
}
