// Builds every bundle:
//   dist/extension.js      Node/CommonJS extension host entry ('vscode' external)
//   dist/vendor/*.js       heavy SDKs, one bundle each, required only on first use
//   dist/webview.js        the Lit webview (browser, ESM)
//   dist/vendor/*.wasm     tree-sitter and its bash grammar (command analysis), copied as they are
// Heavy code is kept out of the activation path: a file named `*.vendor.ts` (an SDK) or
// `*.lazy.ts` (our own code needed only on first use) is built as its own bundle
// dist/vendor/<name>.js, and every `import('./x.vendor')` / `import('./x.lazy')` is rewritten to
// `require()` that bundle when first called. Lazy bundles may themselves load vendor bundles.
import * as esbuild from 'esbuild';
import { readdirSync, statSync, mkdirSync, copyFileSync, writeFileSync } from 'node:fs';
import { join, basename, dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');
const production = !process.argv.includes('--dev');

function findVendorEntries(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) findVendorEntries(full, out);
    else if (LAZY_FILE.test(name)) out.push(full);
  }
  return out;
}

const LAZY_FILE = /\.(vendor|lazy)\.ts$/;
const LAZY_IMPORT = /\.(vendor|lazy)(\.ts)?$/;
const vendorEntries = findVendorEntries(join(root, 'src'));
const vendorName = (file) => basename(file).replace(LAZY_IMPORT, '');

/**
 * Rewrites imports of lazy modules to their separately built bundle. `prefix` is the path from
 * the bundle being built to dist/vendor/ ('./vendor/' from dist/, './' from dist/vendor/).
 */
const lazyVendorPlugin = (prefix) => ({
  name: 'lazy-vendor',
  setup(build) {
    build.onResolve({ filter: LAZY_IMPORT }, (args) => (args.kind === 'entry-point' ? undefined : {
      path: `${prefix}${basename(args.path).replace(LAZY_IMPORT, '')}.js`,
      external: true,
    }));
  },
});

const common = { bundle: true, sourcemap: production ? false : 'linked', minify: production, logLevel: 'warning', legalComments: 'none' };

const builds = [
  {
    ...common,
    entryPoints: [join(root, 'src/vscode/extension.ts')],
    outfile: join(root, 'dist/extension.js'),
    platform: 'node', format: 'cjs', target: 'node20',
    external: ['vscode'],
    plugins: [lazyVendorPlugin('./vendor/')],
    metafile: true,
  },
  ...vendorEntries.map((entry) => ({
    ...common,
    entryPoints: [entry],
    outfile: join(root, `dist/vendor/${vendorName(entry)}.js`),
    platform: 'node', format: 'cjs', target: 'node20',
    external: ['vscode'],
    plugins: [lazyVendorPlugin('./')],
  })),
  {
    ...common,
    entryPoints: [join(root, 'webview-ui/src/main.ts')],
    outfile: join(root, 'dist/webview.js'),
    platform: 'browser', format: 'esm', target: 'es2022',
    metafile: true,
  },
];

function copyStatic() {
  mkdirSync(join(root, 'dist'), { recursive: true });
  const codicons = join(root, 'node_modules/@vscode/codicons/dist');
  copyFileSync(join(codicons, 'codicon.css'), join(root, 'dist/codicon.css'));
  copyFileSync(join(codicons, 'codicon.ttf'), join(root, 'dist/codicon.ttf'));
  // tree-sitter's runtime and the bash grammar, loaded by dist/vendor/tree-sitter.js (command analysis).
  mkdirSync(join(root, 'dist/vendor'), { recursive: true });
  const treeSitter = join(root, 'node_modules/@vscode/tree-sitter-wasm/wasm');
  for (const file of ['tree-sitter.wasm', 'tree-sitter-bash.wasm']) copyFileSync(join(treeSitter, file), join(root, 'dist/vendor', file));
}

const existing = builds.filter((b) => b.entryPoints.every((e) => { try { statSync(e); return true; } catch { return false; } }));
if (watch) {
  for (const b of existing) await (await esbuild.context(b)).watch();
  copyStatic();
  console.log('watching…');
} else {
  const sizes = {};
  for (const b of existing) {
    await esbuild.build(b);
    sizes[relative(root, b.outfile)] = statSync(b.outfile).size;
  }
  copyStatic();
  writeFileSync(join(root, 'dist/sizes.json'), JSON.stringify(sizes, null, 2));
  for (const [file, size] of Object.entries(sizes)) console.log(`${file.padEnd(28)} ${(size / 1024).toFixed(1).padStart(8)} KiB`);
}
