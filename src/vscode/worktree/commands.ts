/**
 * The worktree and terminal commands (ids in ../ids.ts, titles and menus in package.json). Each
 * takes its session from the argument (a session id from the webview or a link, the Source
 * Control provider from its title menu), else the focused session, else a QuickPick.
 */
import { guarded } from '../commands';
import type { ExtensionHost } from '../host';
import { COMMANDS } from '../ids';
import { pickSession } from '../session-picker';
import type { SessionIndexEntry } from '../../core/store/types';
import type { WorktreeApplyMode } from '../../shared/worktree';
import type { WorktreeAction } from './flows';

type Handler = (...args: unknown[]) => Promise<void>;

const hasWorktree = (s: SessionIndexEntry): boolean => s.worktree !== undefined && s.worktree.state !== 'discarded';

export function worktreeCommandHandlers(host: ExtensionHost): Map<string, Handler> {
  /** The session an argument names (an id, or one of our Source Control providers), else a pick. */
  async function sessionFor(arg: unknown, title: string, filter?: (s: SessionIndexEntry) => boolean): Promise<string | undefined> {
    if (typeof arg === 'string') return arg;
    const fromScm = host.changesUiPeek?.sessionOf(arg);
    if (fromScm) return fromScm;
    return pickSession(await host.manager(), host.focus, title, filter);
  }

  const action = (id: string, name: WorktreeAction, title: string): readonly [string, Handler] => [id, async (arg, mode) => {
    const sessionId = await sessionFor(arg, title, hasWorktree);
    if (!sessionId) return;
    const m: WorktreeApplyMode | undefined = mode === 'merge' || mode === 'patch' ? mode : undefined;
    await (await host.worktreeUi()).flows.run(sessionId, name, m);
  }];

  const terminal = (id: string, follow: boolean, title: string): readonly [string, Handler] => [id, async (arg) => {
    const sessionId = await sessionFor(arg, title);
    if (sessionId) await (await host.terminals()).open(sessionId, follow);
  }];

  const table: Array<readonly [string, Handler]> = [
    action(COMMANDS.worktreeApply, 'apply', 'Apply session worktree to workspace'),
    action(COMMANDS.worktreeCommit, 'commit', 'Commit on session branch'),
    action(COMMANDS.worktreeOpenScm, 'openScm', 'Open session worktree in Source Control'),
    action(COMMANDS.worktreeDiscard, 'discard', 'Discard session worktree'),
    terminal(COMMANDS.openTerminal, false, 'Open terminal of session'),
    terminal(COMMANDS.followCommands, true, 'Follow commands of session'),
  ];
  return new Map(table.map(([id, fn]) => [id, guarded(host, id, fn)]));
}
