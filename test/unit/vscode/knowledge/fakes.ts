/** Fakes for the knowledge ports: VS Code-like file watchers, a memento, secret storage, trust, dialogs. */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import picomatch from 'picomatch';
import { Emitter } from '../../../../src/core/base/emitter';
import type { IDisposable } from '../../../../src/core/base/disposable';
import type { McpServerStatus } from '../../../../src/core/mcp/types';
import type { McpManager } from '../../../../src/core/mcp/manager';
import type { CreateFsWatcher, FsWatcherLike } from '../../../../src/vscode/knowledge/file-watcher';
import type { MementoLike } from '../../../../src/vscode/knowledge/mcp-approval';
import type { SecretStoragePort } from '../../../../src/vscode/secrets';
import type { TrustPort } from '../../../../src/vscode/trust';

type Kind = 'create' | 'change' | 'delete';

/** Every watcher created, like vscode.workspace.createFileSystemWatcher; `fire` delivers to the matching ones. */
export class FakeWatchers {
  readonly created: Array<{ base: string; pattern: string; disposed: boolean; emit: (kind: Kind, path: string) => void }> = [];

  readonly factory: CreateFsWatcher = (base, pattern) => {
    const emitters = { create: new Emitter<{ fsPath: string }>(), change: new Emitter<{ fsPath: string }>(), delete: new Emitter<{ fsPath: string }>() };
    const entry = { base, pattern, disposed: false, emit: (kind: Kind, path: string) => emitters[kind].fire({ fsPath: path }) };
    this.created.push(entry);
    const w: FsWatcherLike = {
      onDidCreate: (l) => emitters.create.event(l),
      onDidChange: (l) => emitters.change.event(l),
      onDidDelete: (l) => emitters.delete.event(l),
      dispose: () => { entry.disposed = true; for (const e of Object.values(emitters)) e.dispose(); },
    };
    return w;
  };

  /** Delivers an event to every live watcher whose glob matches the path (as VS Code would). Returns how many matched. */
  fire(kind: Kind, path: string): number {
    let n = 0;
    for (const w of this.created) {
      if (w.disposed || !path.startsWith(`${w.base}/`)) continue;
      if (!picomatch(w.pattern, { dot: true })(path.slice(w.base.length + 1))) continue;
      w.emit(kind, path);
      n++;
    }
    return n;
  }

  get live(): number { return this.created.filter((w) => !w.disposed).length; }
}

export class FakeMemento implements MementoLike {
  readonly data = new Map<string, unknown>();
  get<T>(key: string): T | undefined { return this.data.get(key) as T | undefined; }
  async update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.data.delete(key);
    else this.data.set(key, structuredClone(value));
  }
}

export class FakeSecretStorage implements SecretStoragePort {
  readonly data = new Map<string, string>();
  async get(key: string): Promise<string | undefined> { return this.data.get(key); }
  async store(key: string, value: string): Promise<void> { this.data.set(key, value); }
  async delete(key: string): Promise<void> { this.data.delete(key); }
}

/** vscode.workspace.isTrusted + onDidGrantWorkspaceTrust. */
export class FakeTrust implements TrustPort {
  private readonly granted = new Emitter<void>();
  constructor(public isTrusted: boolean) {}
  onDidGrantWorkspaceTrust(listener: () => void): IDisposable { return this.granted.event(listener); }
  grant(): void { this.isTrusted = true; this.granted.fire(); }
}

export function tempWorkspace(files: Record<string, string> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'ws-knowledge-'));
  writeFiles(root, files);
  return root;
}

export function writeFiles(root: string, files: Record<string, string>): void {
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), text);
  }
}

export function skillMd(name: string, description: string): string {
  return `---\nname: ${name}\ndescription: ${description}\n---\nInstructions for ${name}.\n`;
}

/** Resolves on the first event after now for which `pred` holds (checks the current state first). */
export function until(event: (l: () => void) => IDisposable, pred: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  if (pred()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => { d.dispose(); reject(new Error(`timed out waiting for ${what}`)); }, timeoutMs);
    const d = event(() => { if (pred()) { clearTimeout(t); d.dispose(); resolve(); } });
  });
}

export function statusOf(mgr: McpManager, name: string): McpServerStatus['state'] | undefined {
  return mgr.status(name)?.state;
}
