/**
 * The FileWatcher port (src/core/skills/workspace-ports.ts) over VS Code's file watchers: one
 * `workspace.createFileSystemWatcher(RelativePattern)` per pattern; create/change/delete events
 * are coalesced into one call per burst (a `git checkout` touches many files at once).
 * No 'vscode' import: the host passes the watcher factory (see vscode-ports.ts).
 */
import type { IDisposable } from '../../core/base/disposable';
import type { FileChange, FileWatcher, WatchPattern } from '../../core/skills/workspace-ports';

/** The slice of `vscode.FileSystemWatcher` we use (events carry a Uri; we read `fsPath`). */
export interface FsWatcherLike extends IDisposable {
  onDidCreate(listener: (uri: { fsPath: string }) => void): IDisposable;
  onDidChange(listener: (uri: { fsPath: string }) => void): IDisposable;
  onDidDelete(listener: (uri: { fsPath: string }) => void): IDisposable;
}

/** Creates a watcher for `pattern` relative to the absolute folder `base`. */
export type CreateFsWatcher = (base: string, pattern: string) => FsWatcherLike;

export class VsCodeFileWatcher implements FileWatcher {
  /** `coalesceMs`: events within this window reach the consumer as one change. */
  constructor(private readonly create: CreateFsWatcher, private readonly coalesceMs = 50) {}

  watch(patterns: readonly WatchPattern[], onChange: (change: FileChange) => void): IDisposable {
    const pending = new Set<string>();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let disposed = false;
    const flush = (): void => {
      timer = undefined;
      if (disposed || pending.size === 0) return;
      const paths = [...pending].sort();
      pending.clear();
      onChange({ paths });
    };
    const note = (uri: { fsPath: string }): void => {
      if (disposed) return;
      pending.add(uri.fsPath);
      timer ??= setTimeout(flush, this.coalesceMs);
    };
    const owned: IDisposable[] = [];
    for (const p of patterns) {
      const w = this.create(p.base, p.pattern);
      owned.push(w, w.onDidCreate(note), w.onDidChange(note), w.onDidDelete(note));
    }
    return {
      dispose: () => {
        disposed = true;
        if (timer) clearTimeout(timer);
        for (const d of owned.splice(0)) d.dispose();
      },
    };
  }
}
