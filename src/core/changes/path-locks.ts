/** Per-path locks shared by every session of a window (PathLocks in ./types.ts). */
import type { PathLocks } from './types';

/** A FIFO lock per path; several paths are taken in sorted order, so two callers never deadlock. */
export class PathLockTable implements PathLocks {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(paths: string | readonly string[], fn: () => Promise<T>): Promise<T> {
    const keys = [...new Set(typeof paths === 'string' ? [paths] : paths)].sort();
    const releases: Array<() => void> = [];
    try {
      for (const key of keys) releases.push(await this.take(key));
      return await fn();
    } finally {
      for (const release of releases.reverse()) release();
    }
  }

  private async take(key: string): Promise<() => void> {
    const before = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => { release = resolve; });
    const tail = before.then(() => mine);
    this.tails.set(key, tail);
    await before;
    return () => {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    };
  }
}
