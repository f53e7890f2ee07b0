/** A file's image now (FileImage in shared/changes.ts): read once, hashed, and kept when asked. */
import { promises as fs } from 'node:fs';
import type { FileImage } from '../../shared/changes';
import type { BlobStore } from './types';
import { sha256 } from './blob-store';

/** The bytes of a file, or undefined when there is none (a folder or another kind of entry is an error). */
export async function readBytes(absolute: string): Promise<Buffer | undefined> {
  try {
    return await fs.readFile(absolute);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** The image of `bytes` (undefined = no file), kept in `blobs`. */
export async function imageOf(bytes: Uint8Array | undefined, blobs: BlobStore): Promise<FileImage> {
  return bytes === undefined ? { state: 'absent' } : blobs.put(bytes);
}

/** The file's image now, its bytes kept in `blobs`; an unreadable file is `unknown` with why. */
export async function captureImage(absolute: string, blobs: BlobStore): Promise<FileImage> {
  try {
    return await imageOf(await readBytes(absolute), blobs);
  } catch (e) {
    return { state: 'unknown', note: `could not be read (${(e as Error).message})` };
  }
}

/** The precondition state of bytes (`sha256:<hex>` or `absent`), as tools and FileState name it. */
export function stateOf(bytes: Uint8Array | undefined): string {
  return bytes === undefined ? 'absent' : `sha256:${sha256(bytes)}`;
}

/** The precondition state an image stands for (undefined: unknown content). */
export function stateOfImage(image: FileImage): string | undefined {
  if (image.state === 'absent') return 'absent';
  return image.state === 'file' ? `sha256:${image.hash}` : undefined;
}
