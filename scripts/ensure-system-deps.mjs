// Installs the Debian packages the browser and end-to-end tests need, when they are missing:
// chromium (Playwright drives Debian's build; no browser download), ripgrep (VS Code's search
// and our search_text tool), libkrb5-dev + pkg-config (code-server's native modules) and
// bubblewrap (the Linux sandbox run_command runs in; its unit tests need a real bwrap).
import { execSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const needed = [
  { pkg: 'chromium', present: () => existsSync('/usr/bin/chromium') },
  { pkg: 'ripgrep', present: () => spawnSync('rg', ['--version']).status === 0 },
  { pkg: 'libkrb5-dev', present: () => existsSync('/usr/include/krb5.h') || existsSync('/usr/include/krb5/krb5.h') },
  { pkg: 'pkg-config', present: () => spawnSync('pkg-config', ['--version']).status === 0 },
  { pkg: 'bubblewrap', present: () => spawnSync('bwrap', ['--version']).status === 0 },
];
const missing = needed.filter((n) => !n.present()).map((n) => n.pkg);
if (missing.length === 0) {
  console.log('system packages: all present');
  process.exit(0);
}
const isRoot = process.getuid?.() === 0;
const sudo = isRoot ? '' : spawnSync('sudo', ['-n', 'true']).status === 0 ? 'sudo ' : null;
if (sudo === null) {
  console.error(`Missing Debian packages: ${missing.join(' ')}. Install them with:\n  sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}`);
  process.exit(1);
}
console.log(`installing Debian packages: ${missing.join(' ')}`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execSync(`${sudo}apt-get update -qq`, { stdio: 'inherit', env });
execSync(`${sudo}apt-get install -y -qq --no-install-recommends ${missing.join(' ')}`, { stdio: 'inherit', env });
