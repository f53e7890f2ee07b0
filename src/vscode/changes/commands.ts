/** The change ledger's commands (ids in ../ids.ts, titles and menus in package.json), on the host's ChangesUi. */
import { guarded } from '../commands';
import type { ExtensionHost } from '../host';
import { COMMANDS } from '../ids';

type Handler = (...args: unknown[]) => Promise<void>;

export function changeCommandHandlers(host: ExtensionHost): Map<string, Handler> {
  const ui = () => host.changesUi();
  const table: Array<readonly [string, Handler]> = [
    [COMMANDS.changesKeepFile, async (...args) => (await ui()).review.keepFile(args)],
    [COMMANDS.changesUndoFile, async (...args) => (await ui()).review.undoFile(args)],
    [COMMANDS.changesUndoAll, async (arg) => (await ui()).review.undoAll(arg)],
    [COMMANDS.changesKeepHunk, async (...args) => (await ui()).review.keepHunk(args)],
    [COMMANDS.changesUndoHunk, async (...args) => (await ui()).review.undoHunk(args)],
    [COMMANDS.showChanges, async (sessionId, path) => (await ui()).showChanges(
      typeof sessionId === 'string' ? sessionId : undefined, typeof path === 'string' ? path : undefined,
    )],
    [COMMANDS.changesComment, async () => (await ui()).comment()],
  ];
  return new Map(table.map(([id, fn]) => [id, guarded(host, id, fn)]));
}
