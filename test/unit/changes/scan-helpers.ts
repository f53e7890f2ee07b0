/** Helpers of the workspace-scan tests: a Map-backed blob store, temp git repositories, `sh -c`. */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { FileImage } from '../../../src/shared/changes';
import type { BlobStore } from '../../../src/core/changes/types';

/** The blob store's contract in memory: binary and over-cap content hashed, not kept. */
export class MemoryBlobStore implements BlobStore {
  readonly blobs = new Map<string, Buffer>();
  constructor(private readonly maxBytes = 2 * 1024 * 1024) {}

  async put(bytes: Uint8Array): Promise<Extract<FileImage, { state: 'file' }>> {
    const buf = Buffer.from(bytes);
    const hash = createHash('sha256').update(buf).digest('hex');
    if (buf.subarray(0, 8000).includes(0)) return { state: 'file', hash, size: buf.length, stored: false, binary: true, note: 'binary; not kept' };
    if (buf.length > this.maxBytes) return { state: 'file', hash, size: buf.length, stored: false, note: 'over the size cap; not kept' };
    this.blobs.set(hash, buf);
    return { state: 'file', hash, size: buf.length, stored: true };
  }

  async get(hash: string): Promise<Buffer> {
    const b = this.blobs.get(hash);
    if (!b) throw new Error(`no blob ${hash}`);
    return b;
  }

  async has(hash: string): Promise<boolean> {
    return this.blobs.has(hash);
  }

  /** The text kept for an image (fails when it was not kept). */
  text(image: FileImage | undefined): string {
    if (image?.state !== 'file' || !image.stored) throw new Error(`not a stored image: ${JSON.stringify(image)}`);
    return this.blobs.get(image.hash)!.toString('utf8');
  }
}

export function sha(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A fresh real-path temp folder. */
export function tempFolder(prefix: string): { dir: string; cleanup: () => void } {
  const dir = realpathSync(mkdtempSync(path.join(tmpdir(), prefix)));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs a real shell command in `cwd` (how the tests change files, as a model's command would). */
export function sh(cwd: string, command: string): string {
  return execFileSync('sh', ['-c', command], { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
}

/** Writes files (relative path → content), creating folders. */
export function writeFiles(root: string, files: Record<string, string | Buffer>): void {
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), content);
  }
}

/** `git init` in `dir`, the files committed. */
export function gitRepo(dir: string, files: Record<string, string | Buffer>): void {
  sh(dir, 'git init -q -b main && git config user.email t@t && git config user.name t && git config commit.gpgsign false');
  writeFiles(dir, files);
  sh(dir, 'git add -A && git commit -q -m initial');
}
