/**
 * Class 'exec-option': "read-only" verbs whose options run another program or write a file. A
 * prefix allow rule (`rg:*`, `git grep:*`, `find:*`, `sed:*` …) never covers such an option unless
 * the rule spells it, and for those programs an argument that is not static (expansion, glob) is
 * not covered either. Every unsafe case carries a probe that runs the payload here.
 */
import type { BypassCase } from './types';

const BOTH: Array<'sh' | 'bash'> = ['sh', 'bash'];
/** ./bin/evil: touches `pwned` in its working folder, then passes its input through. */
const EVIL = `mkdir -p bin && printf '#!/bin/sh\\ntouch pwned\\ncat "$@"\\n' > bin/evil && chmod +x bin/evil`;
/** ./bin/cz: a "compressor" filter that touches `pwned` and copies stdin to stdout. */
const CZ = `mkdir -p bin && printf '#!/bin/sh\\ntouch pwned\\nexec cat\\n' > bin/cz && chmod +x bin/cz`;
const GIT_ID = 'git config user.name a && git config user.email a@b';
/** Three commits on the current branch. */
const COMMITS = `${GIT_ID} && git add README.md && git commit -qm one && git commit -q --allow-empty -m two && git commit -q --allow-empty -m three`;
/** npm stays offline and quiet (HOME is ../home in probes). */
const NPMRC = `printf 'offline=true\\nupdate-notifier=false\\naudit=false\\nfund=false\\n' > ../home/.npmrc`;
const PKG = (scripts: string) => `printf '%s\\n' '{"name":"r","version":"1.0.0","scripts":${scripts}}' > package.json`;
/** Runs a command under a pseudo-terminal (git and man only page when stdout is a terminal). */
const TTY = (cmd: string) => `script -qec ${JSON.stringify(cmd)} /dev/null < /dev/null > /dev/null`;

export const EXEC_OPTION_CASES: BypassCase[] = [
  // ── ripgrep ─────────────────────────────────────────────────────────────────────────────────
  {
    id: 'x-rg-pre', class: 'exec-option', expect: 'ask',
    command: 'rg --pre ./bin/evil fixture README.md', rules: ['allow run_command(rg:*)'],
    probe: { shells: BOTH, setup: EVIL, effects: [{ exists: 'pwned' }] },
    source: 'openai/codex is_safe_command.rs ripgrep_rules ("--pre" executes a command per file)',
  },
  {
    id: 'x-rg-pre-equals', class: 'exec-option', expect: 'ask',
    command: 'rg --pre=./bin/evil fixture README.md', rules: ['allow run_command(rg:*)'],
    probe: { shells: BOTH, setup: EVIL, effects: [{ exists: 'pwned' }] },
    source: 'openai/codex is_safe_command.rs ripgrep_rules (--pre=… form)',
  },
  {
    id: 'x-rg-pre-with-pre-glob', class: 'exec-option', expect: 'ask',
    command: `rg --pre ./bin/evil --pre-glob '*.md' fixture README.md`, rules: ['allow run_command(rg:*)'],
    probe: { shells: BOTH, setup: EVIL, effects: [{ exists: 'pwned' }] },
    source: 'resilient-tech/india-compliance#4851 review (Bash(rg:*) and rg --pre)',
  },
  {
    id: 'x-rg-pre-after-pattern', class: 'exec-option', expect: 'ask',
    command: 'rg fixture README.md --pre ./bin/evil', rules: ['allow run_command(rg:*)'],
    probe: { shells: BOTH, setup: EVIL, effects: [{ exists: 'pwned' }] },
    source: 'ours (options after the pattern are still options)',
  },
  {
    id: 'x-rg-pre-sh-runs-files', class: 'exec-option', expect: 'ask',
    command: 'rg --pre=sh -l x z.sh', rules: ['allow run_command(rg:*)'],
    probe: { shells: BOTH, setup: `echo 'touch pwned' > z.sh`, effects: [{ exists: 'pwned' }] },
    source: 'ours (--pre=sh runs every searched file as a script)',
  },
  {
    id: 'x-rg-dynamic-option', class: 'exec-option', expect: 'ask',
    command: 'rg $OPT fixture README.md', rules: ['allow run_command(rg:*)'],
    probe: { shells: BOTH, setup: EVIL, command: 'OPT=--pre=./bin/evil; rg $OPT fixture README.md', effects: [{ exists: 'pwned' }] },
    source: 'QwenLM/qwen-code shellReadOnlyChecker.test.ts ("rg \\"$OPTIONS\\" pattern" is not read-only); COMMANDS.md',
  },
  {
    id: 'x-rg-glob-becomes-option', class: 'exec-option', expect: 'ask',
    command: 'rg *', rules: ['allow run_command(rg:*)'],
    probe: { shells: BOTH, setup: `touch -- --pre=sh && echo 'touch pwned' > z.sh`, effects: [{ exists: 'pwned' }] },
    source: 'ours (a file named --pre=sh sorts first and the glob hands it to rg as an option)',
  },
  {
    // RIPGREP_CONFIG_PATH is not in COMMANDS.md's list of environment variables that change what runs.
    id: 'x-rg-config-path-env', class: 'exec-option', expect: 'ask',
    command: 'RIPGREP_CONFIG_PATH=x/rgrc rg fixture README.md', rules: ['allow run_command(rg:*)'],
    probe: { shells: BOTH, setup: `${EVIL} && printf -- '--pre=./bin/evil\\n' > x/rgrc`, effects: [{ exists: 'pwned' }] },
    source: 'QwenLM/qwen-code shellReadOnlyChecker.test.ts ("RIPGREP_CONFIG_PATH=/tmp/config rg pattern")',
  },
  {
    id: 'x-rg-hostname-bin', class: 'exec-option', expect: 'ask',
    command: 'rg --hostname-bin=./bin/evil --hyperlink-format=default fixture', rules: ['allow run_command(rg:*)'],
    noProbe: 'ripgrep here is 13.0.0; --hostname-bin exists from ripgrep 14',
    source: 'openai/codex is_safe_command.rs ripgrep_rules (--hostname-bin runs a program)',
  },

  // ── git ────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'x-git-grep-O-glued', class: 'exec-option', expect: 'ask',
    command: 'git grep -O./bin/evil fixture', rules: ['allow run_command(git grep:*)'],
    probe: { shells: BOTH, setup: `${EVIL} && git add README.md`, effects: [{ exists: 'pwned' }] },
    source: 'QwenLM/qwen-code shellReadOnlyChecker.test.ts ("git grep -Ovim needle")',
  },
  {
    id: 'x-git-grep-open-files-in-pager', class: 'exec-option', expect: 'ask',
    command: 'git grep --open-files-in-pager=./bin/evil fixture', rules: ['allow run_command(git grep:*)'],
    probe: { shells: BOTH, setup: `${EVIL} && git add README.md`, effects: [{ exists: 'pwned' }] },
    source: 'makecindy/cindy#964 review ("an execution probe confirmed that it runs ./payload"); DataDog/dd-sdk-android#3745 review',
  },
  {
    id: 'x-git-grep-dynamic-option', class: 'exec-option', expect: 'ask',
    command: 'git grep $OPT fixture', rules: ['allow run_command(git grep:*)'],
    probe: { shells: BOTH, setup: `${EVIL} && git add README.md`, command: 'OPT=-O./bin/evil; git grep $OPT fixture', effects: [{ exists: 'pwned' }] },
    source: 'ours (a dynamic argument may expand to -O…)',
  },
  {
    id: 'x-git-c-core-pager', class: 'exec-option', expect: 'ask',
    command: 'git -c core.pager=./bin/evil log', rules: ['allow run_command(git:*)'],
    probe: { shells: BOTH, setup: `${EVIL} && ${COMMITS}`, command: TTY('git -c core.pager=./bin/evil log'), effects: [{ exists: 'pwned' }] },
    source: 'openai/codex is_safe_command.rs git_output_and_config_override_flags_are_not_safe (git -c core.pager=…); the probe gives git a terminal',
  },
  {
    id: 'x-git-c-fsmonitor-status', class: 'exec-option', expect: 'ask',
    command: `git -c core.fsmonitor='touch pwned' status`, rules: ['allow run_command(git:*)'],
    probe: { shells: BOTH, effects: [{ exists: 'pwned' }] },
    source: 'QwenLM/qwen-code#8575 (core.fsmonitor runs on git status)',
  },
  {
    id: 'x-git-c-alias-shell', class: 'exec-option', expect: 'ask',
    command: `git -c alias.x='!touch pwned' x`, rules: ['allow run_command(git:*)'],
    probe: { shells: BOTH, effects: [{ exists: 'pwned' }] },
    source: 'git-config(1) (an alias starting with ! is a shell command); ours',
  },
  {
    id: 'x-git-c-diff-external', class: 'exec-option', expect: 'ask',
    command: 'git -c diff.external=./bin/evil diff', rules: ['allow run_command(git:*)'],
    probe: { shells: BOTH, setup: `${EVIL} && ${COMMITS} && echo y >> README.md`, effects: [{ exists: 'pwned' }] },
    source: 'QwenLM/qwen-code#8575 (diff.external runs on git diff)',
  },
  {
    id: 'x-git-config-env', class: 'exec-option', expect: 'ask',
    command: `EV='touch pwned' git --config-env=core.fsmonitor=EV status`, rules: ['allow run_command(git:*)'],
    probe: { shells: BOTH, effects: [{ exists: 'pwned' }] },
    source: 'openai/codex is_safe_command.rs git_has_config_override_global_option (--config-env)',
  },
  {
    id: 'x-git-exec-path', class: 'exec-option', expect: 'ask',
    command: 'git --exec-path=./bin evil', rules: ['allow run_command(git:*)'],
    probe: { shells: BOTH, setup: `mkdir -p bin && printf '#!/bin/sh\\ntouch pwned\\n' > bin/git-evil && chmod +x bin/git-evil`, effects: [{ exists: 'pwned' }] },
    source: 'COMMANDS.md (git --exec-path); git(1) (--exec-path is where git looks for git-<command>)',
  },
  {
    // --ext-diff is not in COMMANDS.md's git list: it makes log/show run diff.external (see report).
    id: 'x-git-log-ext-diff', class: 'exec-option', expect: 'ask',
    command: 'git log -p --ext-diff -1', rules: ['allow run_command(git log:*)'],
    probe: { shells: BOTH, setup: `${EVIL} && ${GIT_ID} && git add README.md && git commit -qm a && echo y >> README.md && git commit -qam b && git config diff.external ./bin/evil`, effects: [{ exists: 'pwned' }] },
    source: 'openai/codex is_safe_command.rs UNSAFE_GIT_FLAGS (--ext-diff); Yeachan-Heo/gajae-code#3109 review ("git log -p --ext-diff HEAD")',
  },
  {
    id: 'x-git-show-textconv', class: 'exec-option', expect: 'ask',
    command: 'git show --textconv HEAD:README.md', rules: ['allow run_command(git show:*)'],
    probe: {
      shells: BOTH,
      setup: `${EVIL} && ${GIT_ID} && echo 'README.md diff=ev' > .gitattributes && git config diff.ev.textconv ./bin/evil && git add README.md .gitattributes && git commit -qm a`,
      effects: [{ exists: 'pwned' }],
    },
    source: 'openai/codex is_safe_command.rs UNSAFE_GIT_FLAGS (--textconv); QwenLM/qwen-code shellReadOnlyChecker.test.ts ("git show --textconv HEAD:file")',
  },
  {
    id: 'x-git-difftool-extcmd', class: 'exec-option', expect: 'ask',
    command: 'git difftool -y -x ./bin/evil', rules: ['allow run_command(git difftool:*)'],
    probe: { shells: BOTH, setup: `${EVIL} && ${COMMITS} && echo y >> README.md`, effects: [{ exists: 'pwned' }] },
    source: 'git-difftool(1) (-x/--extcmd runs the given command); ours',
  },
  {
    id: 'x-git-submodule-foreach', class: 'exec-option', expect: 'ask',
    command: `git submodule foreach 'touch "$toplevel/pwned"'`, rules: ['allow run_command(git submodule:*)'],
    probe: {
      shells: BOTH,
      setup: `${GIT_ID} && git init -q ../out/sub && git -C ../out/sub -c user.name=a -c user.email=a@b commit -q --allow-empty -m s && git -c protocol.file.allow=always submodule add -q "$(cd ../out/sub && pwd)" sub`,
      effects: [{ exists: 'pwned' }],
    },
    source: 'git-submodule(1) (foreach runs a shell command in each submodule); ours',
  },
  {
    id: 'x-git-rebase-x', class: 'exec-option', expect: 'ask',
    command: `git rebase -x 'touch pwned' HEAD~1`, rules: ['allow run_command(git rebase:*)'],
    probe: { shells: BOTH, setup: COMMITS, effects: [{ exists: 'pwned' }] },
    source: 'openai/codex is_safe_command.rs UNSAFE_GIT_FLAGS (--exec); git-rebase(1) -x',
  },
  {
    id: 'x-git-rebase-exec-equals', class: 'exec-option', expect: 'ask',
    command: `git rebase --exec='touch pwned' HEAD~1`, rules: ['allow run_command(git rebase:*)'],
    probe: { shells: BOTH, setup: COMMITS, effects: [{ exists: 'pwned' }] },
    source: 'openai/codex is_safe_command.rs (arg.starts_with("--exec="))',
  },
  {
    id: 'x-git-bisect-run', class: 'exec-option', expect: 'ask',
    command: `git bisect run sh -c 'touch pwned'`, rules: ['allow run_command(git bisect:*)'],
    probe: { shells: BOTH, setup: `${COMMITS} && git bisect start HEAD HEAD~2 > /dev/null`, effects: [{ exists: 'pwned' }] },
    source: 'git-bisect(1) (bisect run executes the given command); ours',
  },
  {
    id: 'x-git-ls-remote-upload-pack', class: 'exec-option', expect: 'ask',
    command: `git ls-remote --upload-pack='touch pwned; git-upload-pack' .`, rules: ['allow run_command(git ls-remote:*)'],
    probe: { shells: BOTH, effects: [{ exists: 'pwned' }] },
    source: 'sonarsource argument-injection-vectors (git --upload-pack); git-ls-remote(1) (--upload-pack runs a program, through a shell for local repositories)',
  },
  {
    id: 'x-git-fetch-upload-pack', class: 'exec-option', expect: 'ask',
    command: `git fetch --upload-pack='touch pwned; git-upload-pack' .`, rules: ['allow run_command(git fetch:*)'],
    probe: { shells: BOTH, setup: COMMITS, effects: [{ exists: 'pwned' }] },
    source: 'git-fetch(1) (--upload-pack); ours',
  },

  // ── find ────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'x-find-exec', class: 'exec-option', expect: 'ask',
    command: 'find . -name README.md -exec touch pwned \\;', rules: ['allow run_command(find:*)'],
    probe: { shells: BOTH, effects: [{ exists: 'pwned' }] },
    source: 'mistralai/mistral-vibe#173; openai/codex is_safe_command.rs unknown_or_partial (-exec)',
  },
  {
    id: 'x-find-exec-plus', class: 'exec-option', expect: 'ask',
    command: 'find . -name README.md -exec touch pwned {} +', rules: ['allow run_command(find:*)'],
    probe: { shells: BOTH, effects: [{ exists: 'pwned' }] },
    source: 'andrewyng/openworker#280 (the {} + form has no `;` for an operator check to catch)',
  },
  {
    id: 'x-find-execdir', class: 'exec-option', expect: 'ask',
    command: 'find . -name README.md -execdir touch pwned \\;', rules: ['allow run_command(find:*)'],
    probe: { shells: BOTH, effects: [{ exists: 'pwned' }] },
    source: 'openai/codex is_safe_command.rs unknown_or_partial (-execdir)',
  },
  {
    id: 'x-find-ok', class: 'exec-option', expect: 'ask',
    command: 'find . -name README.md -ok touch pwned \\;', rules: ['allow run_command(find:*)'],
    probe: { shells: BOTH, command: 'echo y | find . -name README.md -ok touch pwned \\; 2>/dev/null', effects: [{ exists: 'pwned' }] },
    source: 'openai/codex is_safe_command.rs unknown_or_partial (-ok); the probe answers the prompt on stdin',
  },
  {
    id: 'x-find-okdir', class: 'exec-option', expect: 'ask',
    command: 'find . -name README.md -okdir touch pwned \\;', rules: ['allow run_command(find:*)'],
    probe: { shells: BOTH, command: 'echo y | find . -name README.md -okdir touch pwned \\; 2>/dev/null', effects: [{ exists: 'pwned' }] },
    source: 'openai/codex is_safe_command.rs unknown_or_partial (-okdir)',
  },
  {
    id: 'x-find-delete', class: 'exec-option', mode: 'auto-edit', expect: 'ask',
    command: 'find x -delete', rules: ['allow run_command(find:*)'],
    probe: { shells: BOTH, effects: [{ missing: 'x' }] },
    source: 'mofa-org/mofa#1156 (-delete removes files); openai/codex is_safe_command.rs',
  },
  {
    id: 'x-find-fprint', class: 'exec-option', mode: 'auto-edit', expect: 'ask',
    command: 'find . -maxdepth 1 -fprint pwned', rules: ['allow run_command(find:*)'],
    probe: { shells: BOTH, effects: [{ exists: 'pwned' }] },
    source: 'openai/codex is_safe_command.rs ("-fprint" writes pathnames to a file)',
  },
  {
    id: 'x-find-fprint0', class: 'exec-option', mode: 'auto-edit', expect: 'ask',
    command: 'find . -maxdepth 1 -fprint0 pwned', rules: ['allow run_command(find:*)'],
    probe: { shells: BOTH, effects: [{ exists: 'pwned' }] },
    source: 'openai/codex is_safe_command.rs (-fprint0)',
  },
  {
    id: 'x-find-fprintf', class: 'exec-option', mode: 'auto-edit', expect: 'ask',
    command: `find . -maxdepth 1 -fprintf pwned '%p\\n'`, rules: ['allow run_command(find:*)'],
    probe: { shells: BOTH, effects: [{ exists: 'pwned' }] },
    source: 'openai/codex is_safe_command.rs (-fprintf)',
  },
  {
    id: 'x-find-fls', class: 'exec-option', mode: 'auto-edit', expect: 'ask',
    command: 'find . -maxdepth 1 -fls pwned', rules: ['allow run_command(find:*)'],
    probe: { shells: BOTH, effects: [{ exists: 'pwned' }] },
    source: 'openai/codex is_safe_command.rs (-fls); QwenLM/qwen-code shellReadOnlyChecker.test.ts ("find . -fls output")',
  },
  {
    id: 'x-find-dynamic-expression', class: 'exec-option', expect: 'ask',
    command: 'find . $X', rules: ['allow run_command(find:*)'],
    probe: { shells: BOTH, command: `X='-fprint pwned'; find . $X`, effects: [{ exists: 'pwned' }] },
    source: 'QwenLM/qwen-code shellReadOnlyChecker.test.ts ("find . \\"$EXPRESSION\\""); COMMANDS.md',
  },

  // ── npm / npx / yarn / pnpm ───────────────────────────────────────────────────────────────
  {
    id: 'x-npm-exec-c', class: 'exec-option', expect: 'ask',
    command: `npm exec -c 'touch pwned'`, rules: ['allow run_command(npm:*)'],
    probe: { shells: BOTH, setup: NPMRC, command: `npm exec --offline -c 'touch pwned'`, effects: [{ exists: 'pwned' }] },
    source: 'COMMANDS.md (npm exec); npm-exec(1) (-c runs a shell command); the probe adds --offline',
  },
  {
    id: 'x-npm-exec-dashdash', class: 'exec-option', expect: 'ask',
    command: 'npm exec -- touch pwned', rules: ['allow run_command(npm:*)'],
    probe: { shells: BOTH, setup: NPMRC, command: 'npm exec --offline -- touch pwned', effects: [{ exists: 'pwned' }] },
    source: 'npm-exec(1); ours',
  },
  {
    id: 'x-npm-x', class: 'exec-option', expect: 'ask',
    command: `npm x -c 'touch pwned'`, rules: ['allow run_command(npm:*)'],
    probe: { shells: BOTH, setup: NPMRC, command: `npm x --offline -c 'touch pwned'`, effects: [{ exists: 'pwned' }] },
    source: 'npm-exec(1) (alias `x`)',
  },
  {
    id: 'x-npx-c', class: 'exec-option', expect: 'ask',
    command: `npx -c 'touch pwned'`, rules: ['allow run_command(npx:*)'],
    probe: { shells: BOTH, setup: NPMRC, command: `npx --offline -c 'touch pwned'`, effects: [{ exists: 'pwned' }] },
    source: 'COMMANDS.md (npx); ytrofr.github.io/claude-code-guide (Bash(npx *) = arbitrary package execution)',
  },
  {
    // --script-shell is not in COMMANDS.md's npm list (only npm_config_* in the environment) — see report.
    id: 'x-npm-test-script-shell', class: 'exec-option', expect: 'ask',
    command: 'npm test --script-shell=./bin/evil', rules: ['allow run_command(npm test:*)'],
    probe: { shells: BOTH, setup: `${NPMRC} && ${EVIL} && ${PKG('{"test":"true"}')}`, effects: [{ exists: 'pwned' }] },
    source: 'npm-config(7) (script-shell: the shell that runs scripts); ours',
  },
  {
    id: 'x-npm-global-script-shell', class: 'exec-option', expect: 'ask',
    command: 'npm --script-shell=./bin/evil test', rules: ['allow run_command(npm:*)'],
    probe: { shells: BOTH, setup: `${NPMRC} && ${EVIL} && ${PKG('{"test":"true"}')}`, effects: [{ exists: 'pwned' }] },
    source: 'npm-config(7) (script-shell); ours',
  },
  {
    id: 'x-npm-run-script-shell-separate', class: 'exec-option', expect: 'ask',
    command: 'npm run build --script-shell ./bin/evil', rules: ['allow run_command(npm run build:*)'],
    probe: { shells: BOTH, setup: `${NPMRC} && ${EVIL} && ${PKG('{"build":"true"}')}`, effects: [{ exists: 'pwned' }] },
    source: 'npm-config(7) (script-shell, value as the next word); ours',
  },
  {
    id: 'x-npm-test-node-options', class: 'exec-option', expect: 'ask',
    command: `npm test --node-options='--require ./evil.js'`, rules: ['allow run_command(npm test:*)'],
    probe: {
      shells: BOTH,
      setup: `${NPMRC} && echo 'require("fs").writeFileSync("pwned", "")' > evil.js && ${PKG('{"test":"node -e 1"}')}`,
      effects: [{ exists: 'pwned' }],
    },
    source: 'npm-config(7) (node-options becomes NODE_OPTIONS for scripts); COMMANDS.md (NODE_OPTIONS)',
  },
  {
    id: 'x-npm-init-initializer', class: 'exec-option', expect: 'ask',
    command: 'npm init vite', rules: ['allow run_command(npm:*)'],
    noProbe: 'the payload needs the network (npm init <initializer> = npm exec create-<initializer>)',
    source: 'npm-init(1) ("npm init <initializer> … transformed to a corresponding npm exec operation")',
  },
  {
    id: 'x-yarn-dlx', class: 'exec-option', expect: 'ask',
    command: 'yarn dlx cowsay hi', rules: ['allow run_command(yarn:*)'],
    noProbe: 'not installed here: yarn (and the payload needs the network)',
    source: 'yarnpkg.com/cli/dlx (runs a package in a temporary environment)',
  },
  {
    id: 'x-pnpm-dlx', class: 'exec-option', expect: 'ask',
    command: 'pnpm dlx cowsay hi', rules: ['allow run_command(pnpm:*)'],
    noProbe: 'not installed here: pnpm (and the payload needs the network)',
    source: 'pnpm.io/cli/dlx',
  },

  // ── sed ─────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'x-sed-e-command', class: 'exec-option', expect: 'ask',
    command: `sed -n '1e touch pwned' README.md`, rules: ['allow run_command(sed:*)'],
    probe: { shells: BOTH, effects: [{ exists: 'pwned' }] },
    source: 'microsoft/vscode#329216 (sed e command); esengine/DeepSeek-Reasonix#4452',
  },
  {
    id: 'x-sed-e-command-no-address', class: 'exec-option', expect: 'ask',
    command: `sed -n 'e touch pwned' README.md`, rules: ['allow run_command(sed:*)'],
    probe: { shells: BOTH, effects: [{ exists: 'pwned' }] },
    source: 'QwenLM/qwen-code shellReadOnlyChecker.test.ts ("rejects sed with execute command")',
  },
  {
    id: 'x-sed-s-e-flag', class: 'exec-option', expect: 'ask',
    command: `sed 's/.*/touch pwned/e' README.md`, rules: ['allow run_command(sed:*)'],
    probe: { shells: BOTH, effects: [{ exists: 'pwned' }] },
    source: 'QwenLM/qwen-code shellReadOnlyChecker.test.ts ("sed \'s/foo/bar/e\' file.txt")',
  },
  {
    id: 'x-sed-w-command', class: 'exec-option', mode: 'auto-edit', expect: 'ask',
    command: `sed -n 'w pwned' README.md`, rules: ['allow run_command(sed:*)'],
    probe: { shells: BOTH, effects: [{ contains: ['pwned', 'fixture'] }] },
    source: 'microsoft/vscode#329216 (w writes a file)',
  },
  {
    id: 'x-sed-s-w-flag', class: 'exec-option', mode: 'auto-edit', expect: 'ask',
    command: `sed 's/fixture/y/w pwned' README.md`, rules: ['allow run_command(sed:*)'],
    probe: { shells: BOTH, effects: [{ contains: ['pwned', 'y'] }] },
    source: 'QwenLM/qwen-code shellReadOnlyChecker.test.ts ("sed \'s/foo/bar/w output.txt\'")',
  },
  {
    id: 'x-sed-W-command', class: 'exec-option', mode: 'auto-edit', expect: 'ask',
    command: `sed -n '1W pwned' README.md`, rules: ['allow run_command(sed:*)'],
    probe: { shells: BOTH, effects: [{ exists: 'pwned' }] },
    source: 'microsoft/vscode#329216 (W)',
  },
  {
    id: 'x-sed-after-semicolon', class: 'exec-option', expect: 'ask',
    command: `sed -n 'p;1e touch pwned' README.md`, rules: ['allow run_command(sed:*)'],
    probe: { shells: BOTH, effects: [{ exists: 'pwned' }] },
    source: 'microsoft/vscode#329216 (commands after `;`)',
  },
  {
    id: 'x-sed-second-expression', class: 'exec-option', expect: 'ask',
    command: `sed -e p -e '1e touch pwned' README.md`, rules: ['allow run_command(sed:*)'],
    probe: { shells: BOTH, effects: [{ exists: 'pwned' }] },
    source: 'QwenLM/qwen-code shellReadOnlyChecker.test.ts ("sed -e \'s/a/b/\' -e \'woutput\' file")',
  },
  {
    id: 'x-sed-expression-long', class: 'exec-option', expect: 'ask',
    command: `sed -n --expression='1e touch pwned' README.md`, rules: ['allow run_command(sed:*)'],
    probe: { shells: BOTH, effects: [{ exists: 'pwned' }] },
    source: 'ours (--expression=…)',
  },
  {
    // sed -f (script from a file) is not in COMMANDS.md: the script cannot be seen (see report).
    id: 'x-sed-f-script-file', class: 'exec-option', expect: 'ask',
    command: 'sed -n -f x/s.sed README.md', rules: ['allow run_command(sed:*)'],
    probe: { shells: BOTH, setup: `echo '1e touch pwned' > x/s.sed`, effects: [{ exists: 'pwned' }] },
    source: 'QwenLM/qwen-code shellReadOnlyChecker.test.ts ("sed -f script.sed file")',
  },
  {
    id: 'x-sed-dynamic-script', class: 'exec-option', expect: 'ask',
    command: 'sed -n "$S" README.md', rules: ['allow run_command(sed:*)'],
    probe: { shells: BOTH, command: `S='1e touch pwned'; sed -n "$S" README.md`, effects: [{ exists: 'pwned' }] },
    source: 'QwenLM/qwen-code shellReadOnlyChecker.test.ts ("sed \\"$SCRIPT\\" file")',
  },
  {
    id: 'x-sed-e-full-mode', class: 'exec-option', mode: 'full', expect: 'ask',
    command: `sed -n '1e touch pwned' README.md`,
    probe: { shells: BOTH, effects: [{ exists: 'pwned' }] },
    source: 'COMMANDS.md (sed scripts with e are not analysable: ask in every mode)',
  },
  {
    id: 'x-sed-i-not-covered-by-sed-rule', class: 'exec-option', mode: 'auto-edit', expect: 'ask',
    command: `sed -i 's/x/y/' x/file`, rules: ['allow run_command(sed:*)'],
    probe: { shells: BOTH, effects: [{ contains: ['x/file', 'y'] }] },
    source: 'COMMANDS.md (a prefix rule never covers sed -i unless it spells it)',
  },

  // ── awk ─────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'x-awk-system', class: 'exec-option', expect: 'ask',
    command: `awk 'BEGIN{system("touch pwned")}'`, rules: ['allow run_command(awk:*)'],
    probe: { shells: BOTH, effects: [{ exists: 'pwned' }] },
    source: 'QwenLM/qwen-code shellReadOnlyChecker.test.ts ("rejects awk with system() calls"); esengine/DeepSeek-Reasonix#4452',
  },
  {
    id: 'x-awk-print-redirect', class: 'exec-option', mode: 'auto-edit', expect: 'ask',
    command: `awk '{print > "pwned"}' README.md`, rules: ['allow run_command(awk:*)'],
    probe: { shells: BOTH, effects: [{ contains: ['pwned', 'fixture'] }] },
    source: 'QwenLM/qwen-code shellReadOnlyChecker.test.ts ("rejects awk with file output redirection")',
  },
  {
    id: 'x-awk-print-append', class: 'exec-option', mode: 'auto-edit', expect: 'ask',
    command: `awk '{print >> "pwned"}' README.md`, rules: ['allow run_command(awk:*)'],
    probe: { shells: BOTH, effects: [{ exists: 'pwned' }] },
    source: 'QwenLM/qwen-code shellReadOnlyChecker.test.ts (print >>)',
  },
  {
    id: 'x-awk-pipe-to-sh', class: 'exec-option', expect: 'ask',
    command: `awk 'BEGIN{print "touch pwned" | "sh"}'`, rules: ['allow run_command(awk:*)'],
    probe: { shells: BOTH, effects: [{ exists: 'pwned' }] },
    source: 'QwenLM/qwen-code shellReadOnlyChecker.test.ts ("rejects awk with command pipes")',
  },
  {
    id: 'x-awk-command-getline', class: 'exec-option', expect: 'ask',
    command: `awk 'BEGIN{"touch pwned" | getline}'`, rules: ['allow run_command(awk:*)'],
    probe: { shells: BOTH, effects: [{ exists: 'pwned' }] },
    source: 'QwenLM/qwen-code shellReadOnlyChecker.test.ts ("rejects awk with getline from commands")',
  },
  {
    // awk -f (program from a file) is not in COMMANDS.md: the program cannot be seen (see report).
    id: 'x-awk-f-program-file', class: 'exec-option', expect: 'ask',
    command: 'awk -f x/p.awk', rules: ['allow run_command(awk:*)'],
    probe: { shells: BOTH, setup: `echo 'BEGIN{system("touch pwned")}' > x/p.awk`, effects: [{ exists: 'pwned' }] },
    source: 'QwenLM/qwen-code shellReadOnlyChecker.test.ts ("awk -fscript.awk file")',
  },
  {
    id: 'x-awk-system-full-mode', class: 'exec-option', mode: 'full', expect: 'ask',
    command: `awk 'BEGIN{system("touch pwned")}'`,
    probe: { shells: BOTH, effects: [{ exists: 'pwned' }] },
    source: 'COMMANDS.md (awk programs that can run are not analysable: ask in every mode)',
  },

  // ── tar, zip, sort, less, man, make, ssh, rsync ─────────────────────────────────────────────
  {
    id: 'x-tar-checkpoint-action', class: 'exec-option', expect: 'ask',
    command: `tar -cf /dev/null README.md --checkpoint=1 --checkpoint-action=exec='touch pwned'`, rules: ['allow run_command(tar:*)'],
    probe: { shells: BOTH, effects: [{ exists: 'pwned' }] },
    source: 'sonarsource.github.io/argument-injection-vectors/binaries/tar (--checkpoint-action=exec)',
  },
  {
    id: 'x-tar-to-command', class: 'exec-option', mode: 'auto-edit', expect: 'ask',
    command: `tar -xf x/a.tar --to-command='touch pwned'`, rules: ['allow run_command(tar:*)'],
    probe: { shells: BOTH, setup: 'tar -cf x/a.tar README.md', effects: [{ exists: 'pwned' }] },
    source: 'COMMANDS.md (tar --to-command); tar(1)',
  },
  {
    id: 'x-tar-I-compress-program', class: 'exec-option', mode: 'auto-edit', expect: 'ask',
    command: 'tar -cf x/a.tar -I ./bin/cz README.md', rules: ['allow run_command(tar:*)'],
    probe: { shells: BOTH, setup: CZ, effects: [{ exists: 'pwned' }] },
    source: 'tar(1) (-I/--use-compress-program runs a filter program); ours',
  },
  {
    id: 'x-tar-use-compress-program', class: 'exec-option', mode: 'auto-edit', expect: 'ask',
    command: 'tar --use-compress-program=./bin/cz -cf x/a.tar README.md', rules: ['allow run_command(tar:*)'],
    probe: { shells: BOTH, setup: CZ, effects: [{ exists: 'pwned' }] },
    source: 'tar(1) (--use-compress-program)',
  },
  {
    id: 'x-zip-TT', class: 'exec-option', mode: 'auto-edit', expect: 'ask',
    command: `zip -q x/a.zip README.md -T -TT 'touch pwned #'`, rules: ['allow run_command(zip:*)'],
    probe: { shells: BOTH, effects: [{ exists: 'pwned' }] },
    source: 'gtfoargs.github.io/gtfoargs/zip (-T --unzip-command / -TT runs a command)',
  },
  {
    id: 'x-zip-unzip-command', class: 'exec-option', mode: 'auto-edit', expect: 'ask',
    command: `zip -q x/a.zip README.md -T --unzip-command='touch pwned #'`, rules: ['allow run_command(zip:*)'],
    probe: { shells: BOTH, effects: [{ exists: 'pwned' }] },
    source: 'gtfoargs.github.io/gtfoargs/zip',
  },
  {
    id: 'x-sort-compress-program', class: 'exec-option', expect: 'ask',
    command: 'sort -S 128k --compress-program=./bin/cz x/big', rules: ['allow run_command(sort:*)'],
    probe: { shells: BOTH, setup: `${CZ} && seq 50000 > x/big`, command: 'sort -S 128k --compress-program=./bin/cz x/big > /dev/null', effects: [{ exists: 'pwned' }] },
    source: 'QwenLM/qwen-code shellReadOnlyChecker.test.ts ("sort --compress-program gzip input"); sort(1)',
  },
  {
    id: 'x-less-lessopen', class: 'exec-option', expect: 'ask',
    command: `LESSOPEN='|./bin/evil %s' less README.md`, rules: ['allow run_command(less:*)'],
    probe: { shells: BOTH, setup: EVIL, command: `LESSOPEN='|./bin/evil %s' less README.md > /dev/null`, effects: [{ exists: 'pwned' }] },
    source: 'less(1) (LESSOPEN input preprocessor); QwenLM/qwen-code shellReadOnlyChecker.test.ts ("less file" not read-only)',
  },
  {
    id: 'x-man-P-pager', class: 'exec-option', expect: 'ask',
    command: `man -P 'touch pwned' -l README.md`, rules: ['allow run_command(man:*)'],
    probe: { shells: BOTH, command: TTY(`man -P 'touch pwned' -l README.md`), effects: [{ exists: 'pwned' }] },
    source: 'man(1) (-P pager); the probe gives man a terminal',
  },
  {
    id: 'x-make-eval', class: 'exec-option', expect: 'ask',
    command: `make test --eval='$(shell touch pwned)'`, rules: ['allow run_command(make test:*)'],
    probe: { shells: BOTH, setup: `printf 'test:\\n\\t@true\\n' > Makefile`, effects: [{ exists: 'pwned' }] },
    source: 'make(1) (--eval evaluates text as makefile syntax); ours',
  },
  {
    id: 'x-make-shell-variable', class: 'exec-option', expect: 'ask',
    command: 'make test SHELL=./bin/evil', rules: ['allow run_command(make test:*)'],
    probe: { shells: BOTH, setup: `${EVIL} && printf 'test:\\n\\t@true\\n' > Makefile`, effects: [{ exists: 'pwned' }] },
    source: 'GNU make manual (a command-line SHELL= overrides the recipe shell); ours',
  },
  {
    // unclear: -f swaps the makefile the rule `make test:*` was meant for; COMMANDS.md does not list it.
    id: 'x-make-f-other-makefile', class: 'exec-option', expect: 'ask',
    command: 'make test -f x/evil.mk', rules: ['allow run_command(make test:*)'],
    probe: { shells: BOTH, setup: `printf 'test:\\n\\ttouch pwned\\n' > x/evil.mk`, effects: [{ exists: 'pwned' }] },
    source: 'ours',
  },
  {
    id: 'x-ssh-proxycommand', class: 'exec-option', expect: 'ask',
    command: `ssh -o ProxyCommand='touch pwned' host`, rules: ['allow run_command(ssh:*)'],
    noProbe: 'ssh reads the real ~/.ssh of the user (it ignores HOME); not run here',
    source: 'sonarsource argument-injection-vectors (ssh -o ProxyCommand); Gentleman-Programming/gentle-ai#4330',
  },
  {
    id: 'x-rsync-e', class: 'exec-option', expect: 'ask',
    command: `rsync -e 'sh -c "touch pwned"' x host:x`, rules: ['allow run_command(rsync:*)'],
    noProbe: 'not installed here: rsync',
    source: 'rsync(1) (-e/--rsh chooses the remote shell program)',
  },

  // ── the same programs without the dangerous options stay allowed ────────────────────────────
  {
    id: 'x-ok-rg-plain', class: 'exec-option', expect: 'allow',
    command: 'rg -n fixture README.md', rules: ['allow run_command(rg:*)'],
    source: 'openai/codex is_safe_command.rs ripgrep_rules (safe invocation)',
  },
  {
    id: 'x-ok-rg-pre-glob-alone', class: 'exec-option', expect: 'allow',
    command: `rg --pre-glob '*.md' fixture`, rules: ['allow run_command(rg:*)'],
    source: 'ours (--pre-glob only filters; it runs nothing without --pre)',
  },
  {
    id: 'x-ok-git-diff-orderfile', class: 'exec-option', expect: 'allow',
    command: 'git diff -Oorder.txt', rules: ['allow run_command(git diff:*)'],
    source: 'QwenLM/qwen-code shellReadOnlyChecker.test.ts ("git diff -Oorderfile" stays read-only: -O of diff is an order file, not a pager)',
  },
  {
    id: 'x-ok-git-grep-plain', class: 'exec-option', expect: 'allow',
    command: 'git grep -n fixture', rules: ['allow run_command(git grep:*)'],
    source: 'letta-ai/letta-code#1900 (safe git grep auto-approves)',
  },
  {
    id: 'x-ok-find-print', class: 'exec-option', expect: 'allow',
    command: `find . -name '*.ts' -print`, rules: ['allow run_command(find:*)'],
    source: 'openai/codex is_safe_command.rs known_safe_examples (find . -name file.txt)',
  },
  {
    id: 'x-ok-sed-substitute', class: 'exec-option', expect: 'allow',
    command: `sed 's/a/b/g' README.md`, rules: ['allow run_command(sed:*)'],
    source: 'microsoft/vscode#329216 ("Preserve auto-approval for ordinary forms such as sed \'s/foo/bar/g\'")',
  },
  {
    id: 'x-ok-sed-address-with-e', class: 'exec-option', expect: 'allow',
    command: `sed -n '/e /p' README.md`, rules: ['allow run_command(sed:*)'],
    source: 'QwenLM/qwen-code shellReadOnlyChecker.test.ts ("sed -n \'/needle/p\'"); ours (an e inside an address is not the e command)',
  },
  {
    id: 'x-ok-awk-print-field', class: 'exec-option', expect: 'allow',
    command: `awk '{print $1}' README.md`, rules: ['allow run_command(awk:*)'],
    source: 'QwenLM/qwen-code shellReadOnlyChecker.test.ts ("allows safe awk commands")',
  },
  {
    id: 'x-ok-tar-list', class: 'exec-option', expect: 'allow',
    command: 'tar -tf x/a.tar', rules: ['allow run_command(tar:*)'],
    source: 'ours',
  },
  {
    id: 'x-ok-npm-exec-spelled-by-rule', class: 'exec-option', expect: 'allow',
    command: 'npm exec -- tsc --noEmit', rules: ['allow run_command(npm exec:*)'],
    source: 'COMMANDS.md ("unless the rule itself spells it")',
  },
  {
    id: 'x-ok-sed-i-spelled-by-rule', class: 'exec-option', mode: 'auto-edit', expect: 'allow',
    command: `sed -i 's/x/y/' x/file`, rules: ['allow run_command(sed -i:*)'],
    source: 'COMMANDS.md ("unless the rule itself spells it")',
  },
];
