/**
 * Baseline: what Cline, Roo Code and Continue do — keep the history as one JSON array and
 * rewrite the whole file after every message. Cost per message grows with the session.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';

export class WholeFileHistory {
  private readonly items: unknown[] = [];
  bytesWritten = 0;

  constructor(private readonly dir: string, private readonly id: string) {}

  private get file(): string {
    return join(this.dir, `${this.id}.json`);
  }

  /** Loads the whole file (the baseline's way to open a session). */
  async load(): Promise<unknown[]> {
    const text = await fs.readFile(this.file, 'utf8');
    const parsed = JSON.parse(text) as unknown[];
    this.items.length = 0;
    this.items.push(...parsed);
    return parsed;
  }

  /** Seeds the history without measuring (one write). */
  async seed(items: readonly unknown[]): Promise<void> {
    this.items.push(...items);
    await fs.mkdir(this.dir, { recursive: true });
    await fs.writeFile(this.file, JSON.stringify(this.items));
  }

  /** Adds one item and rewrites the whole file, as the baseline does on every message. */
  async append(item: unknown): Promise<void> {
    this.items.push(item);
    const text = JSON.stringify(this.items);
    this.bytesWritten += Buffer.byteLength(text);
    await fs.writeFile(this.file, text);
  }

  async size(): Promise<number> {
    return (await fs.stat(this.file)).size;
  }
}
