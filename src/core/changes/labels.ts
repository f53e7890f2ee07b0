/** What a changed path is called in the UI: relative to its workspace folder. */
import * as path from 'node:path';

/**
 * The label of an absolute path: relative to the workspace folder that holds it, prefixed with the
 * folder's name in a multi-root workspace; a path outside every folder keeps its absolute form.
 */
export function labelOf(absolute: string, roots: readonly string[]): string {
  for (const root of roots) {
    const rel = path.relative(root, absolute);
    if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) continue;
    const posix = rel.split(path.sep).join('/');
    return roots.length > 1 ? `${path.basename(root)}/${posix}` : posix;
  }
  return absolute;
}
