/**
 * Reading git's objects for the scans: the blobs a clean file had before a command (as checked
 * out, through git's filters: line endings, smudge), the entries of a tree, and the paths two
 * commits differ in.
 */
import { spawn } from 'node:child_process';
import { createHash, type Hash } from 'node:crypto';
import { gitComplaint, gitEnv, runGit } from './git-status';
import { fsReason, mapLimit } from './scan-files';

/** A blob as read: whole up to the cap, else hashed only (sha256, as the blob store names content). */
export type BlobRead =
  | { kind: 'bytes'; bytes: Buffer }
  | { kind: 'oversize'; hash: string; size: number }
  | { kind: 'missing' }
  | { kind: 'error'; reason: string };

export interface BlobRequest {
  oid: string;
  /** Top-relative path: which filters apply to it. */
  path: string;
}

/** Collects one object's content: whole while within the cap, then only its hash. */
class ContentSink {
  private chunks: Buffer[] | undefined = [];
  private readonly hash: Hash = createHash('sha256');
  size = 0;

  constructor(private readonly maxBytes: number) {}

  push(part: Buffer): void {
    this.size += part.length;
    this.hash.update(part);
    if (this.chunks && this.size > this.maxBytes) this.chunks = undefined;
    else this.chunks?.push(part);
  }

  result(): BlobRead {
    return this.chunks ? { kind: 'bytes', bytes: Buffer.concat(this.chunks) } : { kind: 'oversize', hash: this.hash.digest('hex'), size: this.size };
  }
}

/**
 * Reads `git cat-file --batch` output as it streams. The header of each object must name the oid
 * asked for next and its content must end where the header says: git up to 2.4x prints the size
 * before its filters ran, so a filter that changes the size (CRLF) desynchronises the stream.
 * That is detected (`failed`), never misread.
 */
class BatchParser {
  readonly results: BlobRead[] = [];
  failed = false;
  private header: Buffer[] = [];
  private body: { sink: ContentSink; remaining: number } | undefined;
  private expectLf = false;

  constructor(private readonly oids: readonly string[], private readonly maxBytes: number) {}

  push(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length && !this.failed) {
      if (this.body) {
        const take = Math.min(this.body.remaining, chunk.length - at);
        this.body.sink.push(chunk.subarray(at, at + take));
        this.body.remaining -= take;
        at += take;
        if (this.body.remaining === 0) {
          this.results.push(this.body.sink.result());
          this.body = undefined;
          this.expectLf = true;
        }
      } else if (this.expectLf) {
        if (chunk[at] !== 0x0a) this.failed = true;
        this.expectLf = false;
        at++;
      } else {
        const lf = chunk.indexOf(0x0a, at);
        if (lf < 0) {
          this.header.push(chunk.subarray(at));
          at = chunk.length;
        } else {
          this.header.push(chunk.subarray(at, lf));
          at = lf + 1;
          this.onHeader(Buffer.concat(this.header).toString('latin1'));
          this.header = [];
        }
      }
    }
  }

  private onHeader(line: string): void {
    const oid = this.oids[this.results.length];
    if (oid === undefined || !line.startsWith(`${oid} `)) {
      this.failed = true;
      return;
    }
    const rest = line.slice(oid.length + 1);
    if (rest === 'missing') {
      this.results.push({ kind: 'missing' });
      return;
    }
    const m = /^blob (\d+)$/.exec(rest);
    if (!m) {
      this.failed = true;
      return;
    }
    const size = Number(m[1]);
    const sink = new ContentSink(this.maxBytes);
    if (size === 0) {
      this.results.push(sink.result());
      this.expectLf = true;
    } else this.body = { sink, remaining: size };
  }

  /** True when every object asked for came whole and nothing followed. */
  complete(): boolean {
    return !this.failed && !this.body && !this.expectLf && this.header.length === 0 && this.results.length === this.oids.length;
  }
}

/** Streams one process's stdout into `onData`; resolves with its exit code. */
function streamGit(git: string, args: readonly string[], cwd: string, input: string | undefined, onData: (chunk: Buffer) => void): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(git, args, { cwd, env: gitEnv(cwd), stdio: ['pipe', 'pipe', 'pipe'] });
    const err: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.stdout.on('data', onData);
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stderr: Buffer.concat(err).toString('utf8') }); });
    child.stdin.on('error', () => undefined); // git exits without reading when it fails early; the exit code says so
    child.stdin.end(input);
  });
}

/** One blob through `git cat-file --filters` on its own (the fallback of the batch). */
async function readBlobAlone(git: string, top: string, req: BlobRequest, maxBytes: number): Promise<BlobRead> {
  const sink = new ContentSink(maxBytes);
  try {
    const r = await streamGit(git, ['cat-file', '--filters', `--path=${req.path}`, req.oid], top, undefined, (d) => sink.push(d));
    if (r.code !== 0) return /could not get object info|not a valid object|bad file/i.test(r.stderr) ? { kind: 'missing' } : { kind: 'error', reason: r.stderr.trim().split('\n')[0] ?? `exit ${r.code}` };
    return sink.result();
  } catch (e) {
    return { kind: 'error', reason: fsReason(e) };
  }
}

/**
 * The content of each requested blob as a checkout would write it (git's filters applied), in
 * request order: one `git cat-file --batch --filters` for all, or one process per blob when the
 * batch cannot be trusted (a size-changing filter, a path with a newline).
 */
export async function readBlobs(git: string, top: string, requests: readonly BlobRequest[], maxBytes: number): Promise<BlobRead[]> {
  const results = new Array<BlobRead | undefined>(requests.length);
  const batchable = requests.map((r, i) => ({ r, i })).filter(({ r }) => !r.path.includes('\n'));
  if (batchable.length > 0) {
    const parser = new BatchParser(batchable.map(({ r }) => r.oid), maxBytes);
    const input = batchable.map(({ r }) => `${r.oid} ${r.path}\n`).join('');
    const run = await streamGit(git, ['cat-file', '--batch', '--filters'], top, input, (d) => parser.push(d)).catch(() => undefined);
    if (run?.code === 0 && parser.complete()) batchable.forEach(({ i }, k) => { results[i] = parser.results[k]; });
  }
  const rest = requests.map((r, i) => ({ r, i })).filter(({ i }) => results[i] === undefined);
  await mapLimit(rest, 4, async ({ r, i }) => { results[i] = await readBlobAlone(git, top, r, maxBytes); });
  return results as BlobRead[];
}

/** One entry of a tree: mode (`100644`, `120000` a link, `160000` a submodule), type and object. */
export interface TreeEntry {
  mode: string;
  type: string;
  oid: string;
}

function parseLsTree(out: Buffer, into: Map<string, TreeEntry>, keep?: ReadonlySet<string>): void {
  for (const record of out.toString('utf8').split('\0')) {
    const tab = record.indexOf('\t');
    if (tab < 0) continue;
    const [mode, type, oid] = record.slice(0, tab).split(' ');
    const file = record.slice(tab + 1);
    if (mode && type && oid && (!keep || keep.has(file))) into.set(file, { mode, type, oid });
  }
}

/** Above this many paths the whole tree is listed once instead of naming them all. */
const LIST_WHOLE_TREE = 400;

/** The entries of `paths` (top-relative) in commit `tree`; a path missing there is missing here. */
export async function lsTree(git: string, top: string, tree: string, paths: readonly string[]): Promise<Map<string, TreeEntry>> {
  const found = new Map<string, TreeEntry>();
  if (paths.length === 0) return found;
  const run = async (pathArgs: readonly string[], keep?: ReadonlySet<string>) => {
    const r = await runGit(git, ['--literal-pathspecs', 'ls-tree', '-r', '-z', '--full-tree', tree, '--', ...pathArgs], { cwd: top });
    if (r.code !== 0) throw new Error(`git ls-tree failed: ${gitComplaint(r)}`);
    parseLsTree(r.stdout, found, keep);
  };
  if (paths.length > LIST_WHOLE_TREE) {
    await run([], new Set(paths));
    return found;
  }
  // Named paths only: a literal pathspec of a file matches that file.
  await run(paths, new Set(paths));
  return found;
}

/** Top-relative paths of the files that differ between commits `from` and `to` (`from` undefined: all files of `to`). */
export async function changedBetween(git: string, top: string, from: string | undefined, to: string): Promise<string[]> {
  const args = from === undefined ? ['ls-tree', '-r', '-z', '--name-only', '--full-tree', to] : ['diff-tree', '-r', '-z', '--no-renames', '--name-only', from, to];
  const r = await runGit(git, args, { cwd: top });
  if (r.code !== 0) throw new Error(`git ${args[0]} failed: ${gitComplaint(r)}`);
  return r.stdout.toString('utf8').split('\0').filter((p) => p !== '');
}
