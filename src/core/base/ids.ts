import { randomBytes } from 'node:crypto';
import { AgentError } from './errors';
import { isWindowsDeviceName } from '../../shared/device-names';

/** Longest id we accept. Ids become file names, so keep them well under any filesystem limit. */
export const MAX_ID_LENGTH = 128;

/**
 * A conservative whitelist: ASCII letters, digits, `_`, `-`, and `.` anywhere but first.
 * This excludes path separators, `..`, leading dots (hidden files), control characters, NUL,
 * spaces and anything a filesystem or shell might interpret.
 */
const SAFE_ID = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/;

/** True when `id` can safely name a file inside a directory (see {@link assertSafeId}). */
export function isSafeId(id: unknown): id is string {
  return typeof id === 'string' && id.length > 0 && id.length <= MAX_ID_LENGTH && SAFE_ID.test(id) && !isWindowsDeviceName(id);
}

/**
 * Throws AgentError('invalid_id') unless `id` is path-safe: non-empty, at most 128 chars,
 * only [A-Za-z0-9_.-], no leading dot (so never `.` or `..`), no `/`, `\`, NUL or control chars,
 * and not a Windows device name in any spelling (`CON`, `nul.jsonl`, `COM1.`: see device-names.ts).
 */
export function assertSafeId(id: unknown, what = 'session id'): asserts id is string {
  if (!isSafeId(id)) {
    const shown = typeof id === 'string' ? JSON.stringify(id.length > 40 ? `${id.slice(0, 40)}…` : id) : typeof id;
    const device = typeof id === 'string' && isWindowsDeviceName(id);
    throw new AgentError('invalid_id', device
      ? `Invalid ${what} ${shown}: it is a Windows device name (CON, PRN, AUX, NUL, COM0-9, LPT0-9, with or without an extension), which cannot name a file.`
      : `Invalid ${what} ${shown}: use 1-${MAX_ID_LENGTH} characters from A-Z a-z 0-9 _ - . (not starting with a dot).`);
  }
}

let lastTime = 0;
let counter = 0;

/**
 * A new unique id `<prefix>_<time><counter><random>`: path-safe, and ids made by one process
 * sort in creation order (time is fixed-width base 36, then a per-millisecond counter).
 * The prefix must itself be a safe id (e.g. "s", "msg", "call").
 */
export function newId(prefix: string): string {
  assertSafeId(prefix, 'id prefix');
  let now = Date.now();
  // A clock that steps back must not break ordering within this process.
  if (now <= lastTime) { now = lastTime; counter++; } else { lastTime = now; counter = 0; }
  const time = now.toString(36).padStart(9, '0');
  const seq = (counter % 36 ** 3).toString(36).padStart(3, '0');
  const rand = randomBytes(6).toString('base64url').replace(/[-_]/g, '0').toLowerCase();
  return `${prefix}_${time}${seq}${rand}`;
}
