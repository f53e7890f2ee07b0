// `npm start [-- folder]`: build and package the extension, then open a real VS Code with it and
// the folder (default playground/):
//   - a desktop `code` on PATH → `code --extensionDevelopmentPath=<repo> <folder>`;
//   - otherwise code-server (installed once into the cache by scripts/code-server.mjs) with the
//     fresh VSIX, served on 127.0.0.1 (port: env PORT, or a free one); the URL is printed.
// AGENT_SESSIONS_DEMO=1 also starts the fake LLM server (test/fake-llm) and adds it as the
// "demo-openai" / "demo-anthropic" providers, so the UI works with no key. Ctrl+C stops everything.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { cacheRoot, ensureCodeServer, installExtension, serve, killTree } from './code-server.mjs';
import { packageVsix } from './package.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const folder = resolve(process.argv[2] ?? join(root, 'playground'));
const demo = process.env.AGENT_SESSIONS_DEMO === '1';
const stops = [];
let stopping = false;

const HOW_TO_MODEL = `To talk to a model:
  • API key: run "Agent Sessions: Set API Key" from the command palette (F1); keys live in VS Code's SecretStorage.
  • Local Ollama: start it (ollama serve; ollama pull qwen2.5-coder) and pick the "Ollama (local)" provider
    (http://localhost:11434/v1, no key).
  • No model at all: restart with AGENT_SESSIONS_DEMO=1 npm start (a fake model that answers on loopback).`;

async function stopAll() {
  stopping = true;
  for (const s of stops.splice(0).reverse()) await s().catch((e) => console.error(`stop: ${e.message}`));
}

/** Starts test/fake-llm/cli.ts and resolves with its base URL (it prints FAKE_LLM_URL=…). */
async function startFakeLlm() {
  const cli = join(root, 'test/fake-llm/cli.ts');
  if (!existsSync(cli)) throw new Error(`AGENT_SESSIONS_DEMO=1 needs ${cli}, which is not in this checkout`);
  const child = spawn(process.execPath, ['--import', 'tsx', cli, '--port', '0', '--responder', 'interactive'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  stops.push(() => killTree(child.pid));
  const url = await new Promise((res, rej) => {
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (l) => { const m = /^FAKE_LLM_URL=(\S+)/.exec(l); if (m) res(m[1]); });
    child.once('exit', (code) => rej(new Error(`fake LLM server exited (${code}) before it was ready`)));
  });
  return url.replace(/\/$/, '');
}

/** Adds (demo) or removes (otherwise) the fake-LLM providers in code-server's user settings. */
function writeDemoSettings(userDataDir, fakeUrl) {
  const file = join(userDataDir, 'User/settings.json');
  mkdirSync(dirname(file), { recursive: true });
  let settings = {};
  if (existsSync(file)) {
    try { settings = JSON.parse(readFileSync(file, 'utf8')); } catch {
      console.warn(`note: ${file} is not plain JSON (comments?); leaving it as it is`);
      return;
    }
  }
  const providers = (settings['agentSessions.providers'] ?? []).filter((p) => !String(p?.id).startsWith('demo-'));
  if (fakeUrl) {
    providers.push(
      { id: 'demo-openai', label: 'Demo (fake OpenAI format)', kind: 'openai', baseUrl: `${fakeUrl}/v1`, models: ['fake-gpt'], requiresKey: false },
      { id: 'demo-anthropic', label: 'Demo (fake Anthropic format)', kind: 'anthropic', baseUrl: fakeUrl, models: ['fake-claude'], requiresKey: false },
    );
    settings['agentSessions.defaultProvider'] = 'demo-openai';
  } else if (String(settings['agentSessions.defaultProvider'] ?? '').startsWith('demo-')) {
    delete settings['agentSessions.defaultProvider'];
  }
  if (providers.length) settings['agentSessions.providers'] = providers;
  else delete settings['agentSessions.providers'];
  settings['workbench.startupEditor'] ??= 'none';
  writeFileSync(file, JSON.stringify(settings, null, 2));
}

function hasDesktopCode() {
  if (process.env.AGENT_SESSIONS_NO_DESKTOP === '1') return false;
  const r = spawnSync('code', ['--version'], { encoding: 'utf8' });
  return r.status === 0 && !/code-server/i.test(r.stdout);
}

async function main() {
  if (!existsSync(folder)) throw new Error(`folder to open does not exist: ${folder}`);
  console.log('▶ build and package');
  const { vsix } = packageVsix({ build: true });
  const fakeUrl = demo ? await startFakeLlm() : undefined;
  if (fakeUrl) console.log(`▶ fake LLM server: ${fakeUrl} (OpenAI format at ${fakeUrl}/v1, Anthropic format at ${fakeUrl})`);

  if (hasDesktopCode()) {
    console.log(`▶ desktop VS Code: code --extensionDevelopmentPath=${root} ${folder}`);
    const r = spawnSync('code', [`--extensionDevelopmentPath=${root}`, folder], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`code exited with ${r.status}`);
    console.log(`\n${HOW_TO_MODEL}`);
    if (fakeUrl) {
      console.log(`\nAdd the demo provider to your settings: "agentSessions.providers": [{ "id": "demo", "kind": "openai", "baseUrl": "${fakeUrl}/v1", "models": ["fake-gpt"] }]`);
      console.log('Ctrl+C stops the fake LLM server.');
      return; // stays alive for the fake server until Ctrl+C
    }
    await stopAll();
    return;
  }

  console.log('▶ code-server (no desktop `code` on PATH)');
  await ensureCodeServer();
  const dirs = { userDataDir: join(cacheRoot(), 'start/user-data'), extensionsDir: join(cacheRoot(), 'start/extensions') };
  console.log(`▶ installing ${vsix}`);
  installExtension(vsix, dirs);
  writeDemoSettings(dirs.userDataDir, fakeUrl);
  const server = await serve({ folder, port: Number(process.env.PORT) || undefined, ...dirs, trust: true });
  stops.push(() => server.stop());
  server.process.on('exit', (code) => {
    if (stopping) return;
    console.error(`code-server stopped (${code}); its last output:\n${server.output().slice(-2000)}`);
    void stopAll().finally(() => process.exit(1));
  });
  const bar = '─'.repeat(64);
  console.log(`\n${bar}\n  VS Code with Agent Sessions is running:\n\n      ${server.url}\n\n  folder: ${folder}\n  logs:   ${join(dirs.userDataDir, 'logs')}\n${bar}`);
  console.log(fakeUrl ? `\nDemo mode: sessions use the fake model (providers "demo-openai" and "demo-anthropic").\n${HOW_TO_MODEL}` : `\n${HOW_TO_MODEL}`);
  console.log('\nCtrl+C stops everything.');
}

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    console.log('\nstopping…');
    void stopAll().finally(() => process.exit(0));
  });
}

main().catch(async (e) => {
  console.error(`npm start: ${e instanceof Error ? e.message : String(e)}`);
  await stopAll();
  process.exit(1);
});
