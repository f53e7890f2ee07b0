// `npm run lint` (after eslint): fails when the source has an import cycle.
// A cycle counts even when one of its edges is `import type`: a type-only edge still ties two
// files' designs together (each change to one ripples to the other), and that is what the rule is
// for. eslint-plugin-import-x's no-cycle skips type imports, so it could not see the cycles
// this repository had (both had a type-only edge); dpdm reads type imports unless told not to.
import { parseCircular, parseDependencyTree } from 'dpdm';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Where the layers' sources live (tests and scripts may import freely). */
export const SOURCE_GLOBS = ['src/**/*.ts', 'webview-ui/src/**/*.ts'];

/**
 * Every import cycle among the files matched by `globs` under `cwd`, each as a list of
 * cwd-relative posix paths (a → b → … → a, the first file not repeated), rotated to start at
 * its alphabetically first file so the report does not depend on traversal order. Files under
 * node_modules are not followed.
 * @param {{ cwd?: string; globs?: string[] }} [o]
 * @returns {Promise<string[][]>}
 */
export async function findCycles(o = {}) {
  const cwd = o.cwd ?? root;
  const tree = await parseDependencyTree(o.globs ?? SOURCE_GLOBS, {
    context: cwd, cwd, transform: false, skipDynamicImports: false, exclude: /node_modules/,
    extensions: ['.ts', '.tsx', '.mts', '.js', '.mjs', ''], js: ['.ts', '.tsx', '.mts', '.js', '.mjs'],
  });
  const toPosix = (p) => relative(cwd, join(cwd, p)).split(sep).join('/');
  return parseCircular(tree, false).map((c) => {
    const files = c.map(toPosix);
    const first = files.indexOf([...files].sort()[0]);
    return [...files.slice(first), ...files.slice(0, first)];
  });
}

/** Prints the cycles; exit code 1 when there is any. */
async function main() {
  const cycles = await findCycles();
  if (cycles.length === 0) {
    console.log('check-cycles: no import cycles');
    return;
  }
  console.error(`check-cycles: ${cycles.length} import cycle(s):`);
  for (const c of cycles) console.error(`  ${[...c, c[0]].join(' → ')}`);
  process.exitCode = 1;
}

// No top-level await: the TypeScript tests load this file as CommonJS (through tsx).
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err) => { console.error(err); process.exitCode = 1; });
}
