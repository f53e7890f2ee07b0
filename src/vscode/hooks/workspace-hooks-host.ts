/**
 * The workspace's Claude Code hooks on the host: one WorkspaceHooks (src/core/hooks) for the
 * session manager, approved through the modal (hook-approval.ts), its settings files watched in
 * every workspace folder so a bad entry is reported (file and JSON path) as soon as it is saved.
 * Worktree sessions read their own folder's files (core loads each session's roots). Trust is
 * core's check (TurnEnv.isWorkspaceTrusted). No 'vscode' import: ports come in.
 */
import { Disposable } from '../../core/base/disposable';
import type { Logger } from '../../core/ports';
import type { FileWatcher } from '../../core/skills/workspace-ports';
import { FileHookSource, HOOK_SETTINGS_FILES } from '../../core/hooks/config';
import { WorkspaceHooks } from '../../core/hooks/workspace-hooks';
import type { HookProblem } from '../../core/hooks/types';
import { HookApprovalDialog } from './hook-approval';
import type { MementoLike, ShowModalWarning } from '../knowledge/mcp-approval';

export interface WorkspaceHooksHostPorts {
  folders: readonly string[];
  watcher: FileWatcher;
  showModalWarning: ShowModalWarning;
  workspaceState: MementoLike;
  logger: Logger;
}

export class WorkspaceHooksHost extends Disposable {
  readonly approvals: HookApprovalDialog;
  /** For SessionManagerDeps.hooks. */
  readonly hooks: WorkspaceHooks;
  private readonly source = new FileHookSource();
  private reported = new Map<string, string>();

  constructor(private readonly ports: WorkspaceHooksHostPorts) {
    super();
    this.approvals = new HookApprovalDialog(ports.showModalWarning, ports.workspaceState);
    this.hooks = new WorkspaceHooks({ source: this.source, approvals: this.approvals, logger: ports.logger });
    const patterns = ports.folders.flatMap((base) => HOOK_SETTINGS_FILES.map((pattern) => ({ base, pattern })));
    if (patterns.length > 0) this._register(ports.watcher.watch(patterns, () => { this.recheck(); }));
    this.recheck();
  }

  /** The problems of every folder's settings files now. */
  async problems(): Promise<HookProblem[]> {
    const all = await Promise.all(this.ports.folders.map(async (f) => (await this.source.load(f)).problems));
    return all.flat();
  }

  private recheck(): void {
    this.check().catch((e: unknown) => this.ports.logger.warn(`Hooks settings could not be checked: ${e instanceof Error ? e.message : String(e)}`));
  }

  /** Logs each folder's problems once per change of them. */
  private async check(): Promise<void> {
    for (const folder of this.ports.folders) {
      const { problems } = await this.source.load(folder);
      const text = problems.map((p) => `${p.source}${p.path ? ` at ${p.path}` : ''}: ${p.message}`).join('\n');
      if (this.reported.get(folder) === text) continue;
      this.reported.set(folder, text);
      if (text) this.ports.logger.warn(`Hooks in ${folder}: some entries were left out:\n${text}`);
    }
  }
}
