/**
 * Content-addressed blob stores of the change ledger (BlobStore in ./types.ts). A blob is named
 * by the sha256 of its bytes, so a body that recurs (every edit of one file starts from the last
 * one's result) is stored once; it is gzipped when that saves at least a tenth. Reading checks the
 * hash, so a damaged or swapped blob is never put back into a file.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { AgentError } from '../base/errors';
import type { BlobStore } from './types';
import type { FileImage } from '../../shared/changes';

type StoredImage = Extract<FileImage, { state: 'file' }>;

/** Largest file kept by default (bigger ones are recorded by hash and size). */
export const DEFAULT_MAX_BLOB_BYTES = 2 * 1024 * 1024;
/** Bytes looked at to tell binary from text. */
const SNIFF_BYTES = 8192;
/** Smaller blobs are not worth compressing. */
const MIN_COMPRESS_BYTES = 512;

/** sha256 (hex) of bytes. */
export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Binary: a NUL byte, or bytes that are not UTF-8, in the first 8 KB. */
export function looksBinary(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, SNIFF_BYTES);
  if (head.includes(0)) return true;
  try {
    // A multi-byte sequence cut at the sniff boundary is not binary: decode only whole input strictly.
    new TextDecoder('utf-8', { fatal: true }).decode(head.length < bytes.length ? trimPartial(head) : head);
    return false;
  } catch {
    return true;
  }
}

/** Drops a UTF-8 sequence cut off at the end of `head`. */
function trimPartial(head: Uint8Array): Uint8Array {
  let end = head.length;
  for (let back = 1; back <= 3 && end - back >= 0; back++) {
    const b = head[end - back];
    if ((b & 0xc0) !== 0x80) {
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
      if (need > back) end -= back;
      break;
    }
  }
  return head.subarray(0, end);
}

/** The image of bytes that are not kept, with why. */
function unstored(hash: string, size: number, binary: boolean, note: string): StoredImage {
  return { state: 'file', hash, size, stored: false, ...(binary ? { binary: true as const } : {}), note };
}

/** What a store keeps and what it only hashes. */
export interface BlobPolicy {
  /** Bigger content is hashed, not kept. Default 2 MiB. */
  maxBytes?: number;
}

/** Judges bytes by the policy: the image to return when they are not to be kept, else undefined. */
function notKept(bytes: Uint8Array, hash: string, maxBytes: number): StoredImage | undefined {
  const binary = looksBinary(bytes);
  if (binary) return unstored(hash, bytes.length, true, 'a binary file: recorded by hash and size only, it cannot be restored');
  if (bytes.length > maxBytes) {
    return unstored(hash, bytes.length, false, `over the ${maxBytes.toLocaleString('en-US')}-byte limit for kept files: it cannot be restored`);
  }
  return undefined;
}

function damaged(hash: string, why: string): AgentError {
  return new AgentError('damaged', `The kept copy ${hash.slice(0, 12)}… is ${why}; that file cannot be restored.`);
}

/**
 * Blobs in a folder: `<dir>/<first two hex>/<hash>` (or `<hash>.gz`), written atomically (temp file
 * and rename), so a crash never leaves half a blob under its name.
 */
export class FsBlobStore implements BlobStore {
  private readonly maxBytes: number;
  /** Hashes known to be on disk (written or seen by this process). */
  private readonly present = new Set<string>();

  constructor(private readonly dir: string, policy: BlobPolicy = {}) {
    this.maxBytes = policy.maxBytes ?? DEFAULT_MAX_BLOB_BYTES;
  }

  private pathOf(hash: string, gz: boolean): string {
    return join(this.dir, hash.slice(0, 2), gz ? `${hash}.gz` : hash);
  }

  async put(bytes: Uint8Array): Promise<StoredImage> {
    const hash = sha256(bytes);
    const skip = notKept(bytes, hash, this.maxBytes);
    if (skip) return skip;
    const image: StoredImage = { state: 'file', hash, size: bytes.length, stored: true };
    if (this.present.has(hash) || await this.has(hash)) return image;
    const packed = bytes.length >= MIN_COMPRESS_BYTES ? gzipSync(bytes) : undefined;
    const gz = packed !== undefined && packed.length <= bytes.length * 0.9;
    const target = this.pathOf(hash, gz);
    const tmp = `${target}.${process.pid}.${Date.now().toString(36)}.tmp`;
    try {
      await fs.mkdir(join(this.dir, hash.slice(0, 2)), { recursive: true });
      await fs.writeFile(tmp, gz ? packed : bytes);
      await fs.rename(tmp, target);
    } catch (e) {
      await fs.rm(tmp, { force: true }).catch(() => undefined);
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === 'ENOSPC' ? 'disk full' : code === 'EDQUOT' ? 'disk quota exceeded' : (e as Error).message;
      return unstored(hash, bytes.length, false, `could not be kept (${why}): recorded by hash only, it cannot be restored`);
    }
    this.present.add(hash);
    return image;
  }

  async get(hash: string): Promise<Buffer> {
    if (!/^[0-9a-f]{64}$/.test(hash)) throw damaged(hash, 'not a valid name');
    let bytes: Buffer;
    try {
      bytes = await fs.readFile(this.pathOf(hash, false));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw damaged(hash, `unreadable (${(e as Error).message})`);
      try {
        bytes = gunzipSync(await fs.readFile(this.pathOf(hash, true)));
      } catch (e2) {
        throw damaged(hash, (e2 as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : `damaged (${(e2 as Error).message})`);
      }
    }
    if (sha256(bytes) !== hash) throw damaged(hash, 'damaged (its content does not match its hash)');
    return bytes;
  }

  async has(hash: string): Promise<boolean> {
    if (this.present.has(hash)) return true;
    for (const gz of [false, true]) {
      try {
        await fs.access(this.pathOf(hash, gz));
        this.present.add(hash);
        return true;
      } catch { /* not this form */ }
    }
    return false;
  }
}

/** Blobs in memory (a host without a storage folder, tests). Same policy as on disk. */
export class MemoryBlobStore implements BlobStore {
  private readonly blobs = new Map<string, Buffer>();
  private readonly maxBytes: number;

  constructor(policy: BlobPolicy = {}) {
    this.maxBytes = policy.maxBytes ?? DEFAULT_MAX_BLOB_BYTES;
  }

  async put(bytes: Uint8Array): Promise<StoredImage> {
    const hash = sha256(bytes);
    const skip = notKept(bytes, hash, this.maxBytes);
    if (skip) return skip;
    if (!this.blobs.has(hash)) this.blobs.set(hash, Buffer.from(bytes));
    return { state: 'file', hash, size: bytes.length, stored: true };
  }

  async get(hash: string): Promise<Buffer> {
    const bytes = this.blobs.get(hash);
    if (!bytes) throw damaged(hash, 'missing');
    return Buffer.from(bytes);
  }

  async has(hash: string): Promise<boolean> {
    return this.blobs.has(hash);
  }
}
