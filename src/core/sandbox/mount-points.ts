/**
 * Placeholders for protected paths that do not exist yet. A bind mount needs something to sit
 * on, so before a sandboxed command starts we create an empty folder (or, for a git
 * `commondir`, a file that points git back at its own folder) at the first missing component,
 * mount it read-only inside the sandbox, and remove it afterwards if it is still exactly what
 * we created. Inside the sandbox the name is then taken: creating it, or anything under it,
 * fails with EROFS, and removing or renaming it fails with EBUSY.
 *
 * Bookkeeping, so nothing is left behind and no placeholder is pulled out from under a live
 * sandbox:
 * - in this process, concurrent commands share a placeholder (reference count);
 * - each process lists what it uses in a journal (`<journalDir>/<pid>.json`); a placeholder is
 *   removed only when no other live process lists it (removing a folder on the host detaches
 *   the mounts on it in every sandbox), and placeholders listed by a process that died are
 *   swept on the next first use.
 * The trade-off: during a command the empty placeholders exist on the host too (a file watcher
 * sees them come and go), and they are folders, not files, so an absent `.mcp.json` looks like
 * an empty folder inside the sandbox (git ignores empty folders; an empty file would show up
 * in `git status` and could be committed).
 */
import { closeSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, rmdirSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** A placeholder to create: a folder, or a file with `content`. */
export interface MountPointSpec {
  path: string;
  content?: string;
}

interface Entry { path: string; ino: number; content?: string }
interface Live extends Entry { users: number }

/** What `acquire` hands back: release it when the command is over (idempotent). */
export interface MountPointLease {
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

/**
 * True when `e` is still the placeholder we made: same inode, and a file still unchanged. (A
 * folder someone filled meanwhile is still "ours" to share; `rmdir` refuses to remove it.)
 */
function stillOurs(e: Entry): boolean {
  try {
    const st = lstatSync(e.path);
    if (st.ino !== e.ino) return false;
    if (e.content === undefined) return st.isDirectory();
    return st.isFile() && readFileSync(e.path, 'utf8') === e.content;
  } catch {
    return false; // gone already
  }
}

/** True when a live process other than us lists `e` (same path, same inode) in its journal. */
function usedBy(journals: ReadonlyArray<[number, Entry[]]>, e: Entry): boolean {
  return journals.some(([pid, entries]) => pid !== process.pid && entries.some((x) => x.path === e.path && x.ino === e.ino) && alive(pid));
}

function remove(e: Entry): void {
  if (!stillOurs(e)) return;
  try {
    if (e.content === undefined) rmdirSync(e.path);
    else unlinkSync(e.path);
  } catch {
    // Not empty (someone put something in it: theirs now) or already gone: leave it.
  }
}

/** The registry of placeholders this process has made. One per process (see `mountPoints`). */
export class MountPointRegistry {
  private readonly live = new Map<string, Live>();
  private swept = false;

  constructor(private readonly journalDir = path.join(tmpdir(), `agent-sessions-sandbox-${process.getuid?.() ?? 'user'}`)) {}

  /** Creates (or shares) each placeholder. Paths that turn out to exist are left alone. */
  acquire(specs: readonly MountPointSpec[]): MountPointLease {
    this.sweepDead();
    const held: Live[] = [];
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      let others: Array<[number, Entry[]]> | undefined;
      for (const e of held) {
        if (--e.users > 0) continue;
        this.live.delete(e.path);
        others ??= this.journals();
        if (!usedBy(others, e)) remove(e);
      }
      this.writeJournal();
    };
    try {
      for (const spec of specs) {
        const entry = this.live.get(spec.path);
        if (entry && stillOurs(entry)) {
          entry.users++;
          held.push(entry);
          continue;
        }
        const made = this.make(spec) ?? this.adoptFromOthers(spec);
        if (!made) continue; // it exists for real now: the plain read-only bind covers it
        const live = { ...made, users: 1 };
        this.live.set(spec.path, live);
        held.push(live);
      }
    } catch (e) {
      release(); // a placeholder could not be made: undo the ones that were
      throw e;
    }
    this.writeJournal();
    return { release };
  }

  /** Makes the placeholder; undefined when the path already exists. */
  private make(spec: MountPointSpec): Entry | undefined {
    try {
      if (spec.content === undefined) {
        mkdirSync(spec.path, { mode: 0o755 });
      } else {
        const fd = openSync(spec.path, 'wx', 0o444);
        try { writeSync(fd, spec.content); } finally { closeSync(fd); }
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
      throw e;
    }
    return { path: spec.path, ino: lstatSync(spec.path).ino, content: spec.content };
  }

  /** A placeholder another live process made: share it (we then remove it if we are last). */
  private adoptFromOthers(spec: MountPointSpec): Entry | undefined {
    for (const [, entries] of this.journals()) {
      const e = entries.find((x) => x.path === spec.path);
      if (e && stillOurs(e)) return e;
    }
    return undefined;
  }


  /** Every journal but ours: pid → entries. Unreadable journals count as empty. */
  private journals(): Array<[number, Entry[]]> {
    const out: Array<[number, Entry[]]> = [];
    let names: string[] = [];
    try { names = readdirSync(this.journalDir); } catch { return out; /* no journals yet */ }
    for (const name of names) {
      const pid = Number(/^(\d+)\.json$/.exec(name)?.[1]);
      if (!pid || pid === process.pid) continue;
      try {
        out.push([pid, JSON.parse(readFileSync(path.join(this.journalDir, name), 'utf8')) as Entry[]]);
      } catch {
        // Torn or foreign file: skip it (at worst a placeholder stays behind).
      }
    }
    return out;
  }

  /** Once per process: remove placeholders of processes that died mid-command. */
  private sweepDead(): void {
    if (this.swept) return;
    this.swept = true;
    const all = this.journals();
    for (const [pid, entries] of all.filter(([p]) => !alive(p))) {
      for (const e of entries) if (!usedBy(all, e)) remove(e);
      try { unlinkSync(path.join(this.journalDir, `${pid}.json`)); } catch { /* another process swept it */ }
    }
  }

  private writeJournal(): void {
    const file = path.join(this.journalDir, `${process.pid}.json`);
    try {
      if (this.live.size === 0) {
        unlinkSync(file);
        return;
      }
      mkdirSync(this.journalDir, { recursive: true, mode: 0o700 });
      const entries: Entry[] = [...this.live.values()].map(({ path: p, ino, content }) => ({ path: p, ino, content }));
      writeFileSync(file, JSON.stringify(entries), { mode: 0o600 });
    } catch {
      // The journal is a safety net for crashes; failing to write it must not stop the command.
    }
  }
}

/** The process-wide registry (placeholders are shared by every session of this extension host). */
export const mountPoints = new MountPointRegistry();
