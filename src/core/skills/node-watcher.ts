import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import picomatch from 'picomatch';
import type { IDisposable } from '../base/disposable';
import type { FileChange, FileWatcher, WatchPattern } from './workspace-ports';

/**
 * A polling {@link FileWatcher} for plain Node (tests, CLI). Polling instead of fs.watch because
 * recursive fs.watch is unreliable across platforms and these trees are small (skill folders,
 * config files). Each tick walks only the static prefix of each glob (e.g. `.agents/skills`).
 */
export class PollingFileWatcher implements FileWatcher {
  constructor(private readonly intervalMs = 1000, private readonly maxEntries = 5000) {}

  watch(patterns: readonly WatchPattern[], onChange: (change: FileChange) => void): IDisposable {
    const compiled = patterns.map((p) => {
      const scan = picomatch.scan(p.pattern);
      const prefix = scan.isGlob ? scan.base : p.pattern;
      return { base: p.base, root: join(p.base, prefix), match: picomatch(p.pattern, { dot: true }) };
    });
    let previous: Map<string, string> | undefined;
    let stopped = false;
    let running = false;
    const tick = async (): Promise<void> => {
      if (running || stopped) return;
      running = true;
      try {
        const snap = new Map<string, string>();
        for (const c of compiled) await this.walk(c.root, c.base, c.match, snap);
        if (previous && !stopped) {
          const changed: string[] = [];
          for (const [path, sig] of snap) if (previous.get(path) !== sig) changed.push(path);
          for (const path of previous.keys()) if (!snap.has(path)) changed.push(path);
          if (changed.length > 0) onChange({ paths: changed.sort() });
        }
        previous = snap;
      } finally {
        running = false;
      }
    };
    void tick();
    const timer = setInterval(() => { void tick(); }, this.intervalMs);
    return { dispose: () => { stopped = true; clearInterval(timer); } };
  }

  private async walk(dir: string, base: string, match: (rel: string) => boolean, out: Map<string, string>): Promise<void> {
    let entries;
    try { entries = await fs.readdir(dir, { withFileTypes: true }); } catch { return; /* missing folder = no files */ }
    for (const e of entries) {
      if (out.size >= this.maxEntries) return;
      const abs = join(dir, e.name);
      if (e.isDirectory()) { await this.walk(abs, base, match, out); continue; }
      const rel = abs.slice(base.length + 1).split('\\').join('/');
      if (!match(rel)) continue;
      try {
        const st = await fs.stat(abs);
        out.set(abs, `${st.mtimeMs}:${st.size}`);
      } catch {
        // Deleted between readdir and stat: the next tick reports it.
      }
    }
  }
}
