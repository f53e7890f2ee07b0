/**
 * The VS Code side of the workspace memory: the store for the session manager (when the setting
 * `agentSessions.memory.enabled` is on; core keeps it off in Restricted Mode), and "Agent
 * Sessions: Open Memory", which opens the file in an editor (made with its title when missing).
 * The location is read when the session manager starts (location.ts); a changed setting applies
 * after a window reload.
 */
import * as vscode from 'vscode';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Logger } from '../../core/ports';
import type { Redactor } from '../../core/base/redact';
import { MemoryStore } from '../../core/memory/store';
import { MEMORY_TITLE } from '../../core/memory/format';
import { memoryFileLocation } from './location';

export interface MemoryHostDeps {
  /** The workspace storage folder (context.storageUri; without a folder open, the global one). */
  storageDir(): string;
  workspaceFolder(): string | undefined;
  enabled(): boolean;
  fileSetting(): string;
  redactor: Redactor;
  /** Read when needed (the host makes its logger after this). */
  logger(): Logger;
}

/** The memory store and the Open Memory command. */
export class MemoryHost {
  private store?: MemoryStore;

  constructor(private readonly deps: MemoryHostDeps) {}

  /** The memory file's path (the setting, validated; a bad value is logged and the default used). */
  filePath(): string {
    const loc = memoryFileLocation(this.deps.fileSetting(), this.deps.storageDir(), this.deps.workspaceFolder());
    if (loc.problem) this.deps.logger().warn(loc.problem);
    return loc.path;
  }

  /** For the SessionManager: `{ memory }` when memory is switched on. */
  managerDeps(): { memory?: MemoryStore } {
    if (!this.deps.enabled()) return {};
    this.store ??= new MemoryStore(this.filePath(), { redactor: this.deps.redactor });
    return { memory: this.store };
  }

  /** Opens the memory file in an editor (created with its title when it does not exist yet). */
  async open(): Promise<void> {
    const file = this.store?.path ?? this.filePath();
    await fs.mkdir(path.dirname(file), { recursive: true });
    // 'wx': never overwrites what is there.
    await fs.writeFile(file, `${MEMORY_TITLE}\n`, { flag: 'wx' }).catch((e: NodeJS.ErrnoException) => { if (e.code !== 'EEXIST') throw e; });
    await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
  }
}
