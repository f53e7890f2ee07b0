/**
 * A terminal per session, opened on demand: "Agent: ‹title›", a shell whose cwd is the session's
 * root (its worktree, else the workspace), and "Agent: ‹title› — commands", a read-only
 * pseudoterminal that shows the session's run_command calls live (follow.ts). One of each per
 * session, shown again while open; closed when the session is deleted or its worktree discarded.
 */
import * as vscode from 'vscode';
import type { SessionManagerApi } from '../../core/session/api';
import { CommandFollower } from './follow';
import { sessionRoot, terminalName } from './session-root';

/** The hint on typed input is repeated at most this often, ms. */
const INPUT_HINT_MS = 10_000;

export interface SessionTerminalsDeps {
  manager: SessionManagerApi;
  /** The first workspace folder (the root of shared sessions). */
  workspaceRoot(): string | undefined;
}

export class SessionTerminals implements vscode.Disposable {
  private readonly shells = new Map<string, vscode.Terminal>();
  private readonly followers = new Map<string, vscode.Terminal>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly deps: SessionTerminalsDeps) {
    this.subscriptions = [
      vscode.window.onDidCloseTerminal((t) => this.forget(t)),
      new vscode.Disposable(deps.manager.onEvent((e) => { if (e.type === 'worktree.discarded') this.closeFor(e.sessionId); }).dispose),
    ];
  }

  /** Opens (or shows) the session's shell, or with `follow` its commands terminal. */
  async open(sessionId: string, follow: boolean): Promise<void> {
    const { manager } = this.deps;
    const snapshot = manager.get(sessionId) ?? await manager.open(sessionId);
    const map = follow ? this.followers : this.shells;
    const existing = map.get(sessionId);
    if (existing && existing.exitStatus === undefined) { existing.show(); return; }
    const terminal = follow ? this.createFollower(sessionId, snapshot.title) : vscode.window.createTerminal({
      name: terminalName(snapshot.title, false),
      cwd: sessionRoot(snapshot, this.deps.workspaceRoot()),
      iconPath: new vscode.ThemeIcon(snapshot.worktree ? 'git-branch' : 'terminal'),
    });
    map.set(sessionId, terminal);
    terminal.show();
  }

  private createFollower(sessionId: string, title: string): vscode.Terminal {
    const writes = new vscode.EventEmitter<string>();
    let follower: CommandFollower | undefined;
    let hintAt = 0;
    const pty: vscode.Pseudoterminal = {
      onDidWrite: writes.event,
      open: () => {
        follower = new CommandFollower(this.deps.manager, sessionId, title, (text) => writes.fire(text));
        void follower.start();
      },
      close: () => { follower?.dispose(); writes.dispose(); },
      handleInput: () => {
        // Read-only: typed input goes nowhere; say so now and then.
        const now = Date.now();
        if (now - hintAt < INPUT_HINT_MS) return;
        hintAt = now;
        writes.fire('\r\n\x1b[2m(read-only: this terminal follows the session\'s commands; input is ignored)\x1b[0m\r\n');
      },
    };
    return vscode.window.createTerminal({ name: terminalName(title, true), pty, iconPath: new vscode.ThemeIcon('eye') });
  }

  /** Closes the session's terminals (deleted session, discarded worktree). */
  closeFor(sessionId: string): void {
    for (const map of [this.shells, this.followers]) {
      map.get(sessionId)?.dispose();
      map.delete(sessionId);
    }
  }

  /** Sessions deleted meanwhile lose their terminals (there is no event for a delete). */
  reconcile(): void {
    const ids = new Set(this.deps.manager.list().map((s) => s.id));
    for (const id of new Set([...this.shells.keys(), ...this.followers.keys()])) if (!ids.has(id)) this.closeFor(id);
  }

  private forget(t: vscode.Terminal): void {
    for (const map of [this.shells, this.followers]) for (const [id, x] of map) if (x === t) map.delete(id);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    for (const map of [this.shells, this.followers]) { for (const t of map.values()) t.dispose(); map.clear(); }
  }
}
