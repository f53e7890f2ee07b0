// Builds every bundle:
//   dist/extension.js      Node/CommonJS extension host entry ('vscode' external)
//   dist/vendor/*.js       heavy SDKs, one bundle each, required only on first use
//   dist/webview.js        the Lit webview (browser, ESM)
// SDKs are kept out of the activation path: any `import('./x.vendor')` of a file named
// `*.vendor.ts` is rewritten to `require('./vendor/x.js')` and that file is built on its own.
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
    else if (name.endsWith('.vendor.ts')) out.push(full);
  }
  return out;
}

const vendorEntries = findVendorEntries(join(root, 'src'));
const vendorName = (file) => basename(file, '.vendor.ts');

/** Rewrites imports of `*.vendor` modules to the separately built `./vendor/<name>.js`. */
const lazyVendorPlugin = {
  name: 'lazy-vendor',
  setup(build) {
    build.onResolve({ filter: /\.vendor(\.ts)?$/ }, (args) => ({
      path: `./vendor/${basename(args.path).replace(/\.vendor(\.ts)?$/, '')}.js`,
      external: true,
    }));
  },
};

const common = { bundle: true, sourcemap: production ? false : 'linked', minify: production, logLevel: 'warning', legalComments: 'none' };

const builds = [
  {
    ...common,
    entryPoints: [join(root, 'src/vscode/extension.ts')],
    outfile: join(root, 'dist/extension.js'),
    platform: 'node', format: 'cjs', target: 'node20',
    external: ['vscode'],
    plugins: [lazyVendorPlugin],
    metafile: true,
  },
  ...vendorEntries.map((entry) => ({
    ...common,
    entryPoints: [entry],
    outfile: join(root, `dist/vendor/${vendorName(entry)}.js`),
    platform: 'node', format: 'cjs', target: 'node20',
    external: ['vscode'],
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
