// Child process for B7: loads an extension bundle with a stub 'vscode' module and times
// require() and activate(). Prints one JSON line. Usage: node activate-child.cjs <bundle> <storageDir>
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS child process: loading bundles with require() is what it measures */
const Module = require('node:module');
const path = require('node:path');

/** A stub that answers any property access, call or construction (enough for activation). */
function stub(name) {
  const target = function () {};
  return new Proxy(target, {
    get(_t, prop) {
      if (prop === 'then') return undefined; // not a promise
      if (prop === Symbol.toPrimitive) return () => name;
      if (prop === Symbol.iterator) return function* () {};
      if (prop === 'toString') return () => name;
      if (prop === 'dispose') return () => undefined;
      return stub(`${name}.${String(prop)}`);
    },
    apply() { return stub(`${name}()`); },
    construct() { return stub(`new ${name}`); },
  });
}

// A plain object with every top-level name of the API (bundlers copy own keys of a CJS module);
// the names come from @types/vscode so classes, enums and namespaces all exist.
const vscodeStub = {};
const dts = require('node:fs').readFileSync(require.resolve('@types/vscode/index.d.ts'), 'utf8');
for (const m of dts.matchAll(/^\t?export (?:class|enum|namespace|function|const|let) (\w+)/gm)) vscodeStub[m[1]] = stub(`vscode.${m[1]}`);

const load = Module._load;
Module._load = function (request, parent, isMain) {
  if (request === 'vscode') return vscodeStub;
  return load.call(this, request, parent, isMain);
};

const [bundle, storage] = process.argv.slice(2);
const uri = (p) => ({ fsPath: p, path: p, scheme: 'file', toString: () => `file://${p}`, with: () => uri(p) });
const memento = { get: (_k, d) => d, update: async () => undefined, keys: () => [] };
const context = {
  subscriptions: [], extensionPath: path.dirname(bundle), extensionUri: uri(path.dirname(path.dirname(bundle))),
  storageUri: uri(storage), globalStorageUri: uri(storage), logUri: uri(storage), storagePath: storage, globalStoragePath: storage,
  workspaceState: memento, globalState: Object.assign({ setKeysForSync: () => undefined }, memento),
  secrets: { get: async () => undefined, store: async () => undefined, delete: async () => undefined, onDidChange: () => ({ dispose() {} }) },
  extensionMode: 1, asAbsolutePath: (p) => path.join(path.dirname(bundle), p), environmentVariableCollection: stub('env'),
  extension: stub('extension'),
};

const t0 = performance.now();
const ext = require(bundle);
const t1 = performance.now();
ext.activate(context);
const t2 = performance.now();
const sdkAtActivation = Object.keys(require.cache).some((k) => /vendor[\\/]/.test(k));
// First use (the view resolves): the host bundle loads then. Timed so the cost is shown, not hidden.
const hostBundle = path.join(path.dirname(bundle), 'vendor', 'host.js');
let firstUseMs = 0;
if (require('node:fs').existsSync(hostBundle) && !Object.keys(require.cache).includes(hostBundle)) {
  const t3 = performance.now();
  require(hostBundle);
  firstUseMs = performance.now() - t3;
}
process.stdout.write(`${JSON.stringify({ requireMs: t1 - t0, activateMs: t2 - t1, firstUseMs, loadedSdk: sdkAtActivation, heapMB: process.memoryUsage().heapUsed / 2 ** 20 })}\n`);
process.exit(0);
