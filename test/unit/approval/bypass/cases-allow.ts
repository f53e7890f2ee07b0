/**
 * Classes 'too-many-asks' and 'baseline': ordinary commands that must come out ALLOW (an analysis
 * that asks for them trains people to click through), and the narrow "always allow" rule an ask
 * must offer (`suggested`; `null` = none may be offered).
 */
import type { BypassCase } from './types';

const NPM_TEST = 'allow run_command(npm test:*)';
const NO_PAYLOAD = 'an ordinary ask with no hidden payload: the case checks the suggested rule';

export const ALLOW_CASES: BypassCase[] = [
  // ── transparent wrappers, cd and shell plumbing around an allowed command ───────────────────
  { id: 'a-cd-then-npm-test', class: 'too-many-asks', expect: 'allow', command: 'cd packages/foo && npm test', rules: [NPM_TEST], source: 'COMMANDS.md (cd is harmless by itself); microsoft/vscode terminalChatAgentToolsConfiguration.ts ("cd": true)' },
  { id: 'a-timeout-npm-test', class: 'too-many-asks', expect: 'allow', command: 'timeout 300 npm test', rules: [NPM_TEST], source: 'COMMANDS.md (timeout is transparent); microsoft/vscode commandLineTimeoutRewriter.ts' },
  { id: 'a-time-npm-test', class: 'too-many-asks', expect: 'allow', command: 'time npm test', rules: [NPM_TEST], source: 'COMMANDS.md (time); microsoft/vscode defaults ("time": true)' },
  { id: 'a-nice-npm-test', class: 'too-many-asks', expect: 'allow', command: 'nice -n 10 npm test', rules: [NPM_TEST], source: 'COMMANDS.md (nice [-n N])' },
  { id: 'a-stdbuf-npm-test', class: 'too-many-asks', expect: 'allow', command: 'stdbuf -oL npm test', rules: [NPM_TEST], source: 'COMMANDS.md (stdbuf -o MODE)' },
  { id: 'a-env-assignment-npm-test', class: 'too-many-asks', expect: 'allow', command: 'env FOO=1 npm test', rules: [NPM_TEST], source: 'COMMANDS.md (env NAME=VALUE CMD; FOO is an ignored assignment)' },
  { id: 'a-command-npm-test', class: 'too-many-asks', expect: 'allow', command: 'command npm test', rules: [NPM_TEST], source: 'COMMANDS.md (command [-p])' },
  { id: 'a-foo-prefix-npm-test', class: 'too-many-asks', expect: 'allow', command: 'FOO=1 npm test', rules: [NPM_TEST], source: 'COMMANDS.md (FOO=1 is ignored); QwenLM/qwen-code shellReadOnlyChecker.test.ts (env prefix handling)' },
  { id: 'a-node-env-ci-prefix', class: 'too-many-asks', expect: 'allow', command: 'NODE_ENV=test CI=1 npm test', rules: [NPM_TEST], source: 'COMMANDS.md (NODE_ENV=test, CI=1 are ignored)' },
  { id: 'a-set-e-then', class: 'too-many-asks', expect: 'allow', command: 'set -e; npm test', rules: [NPM_TEST], source: 'COMMANDS.md (set -e is harmless)' },
  { id: 'a-set-euo-pipefail', class: 'too-many-asks', expect: 'allow', command: 'set -euo pipefail; npm test', rules: [NPM_TEST], source: 'COMMANDS.md (set -e -u -o pipefail)' },
  { id: 'a-unset-then', class: 'too-many-asks', expect: 'allow', command: 'unset FOO; npm test', rules: [NPM_TEST], source: 'COMMANDS.md (unset NAME)' },
  { id: 'a-devnull-both', class: 'too-many-asks', expect: 'allow', command: 'npm test >/dev/null 2>&1', rules: [NPM_TEST], source: 'COMMANDS.md (/dev/null and N>&M are not writes)' },
  { id: 'a-devnull-amp', class: 'too-many-asks', expect: 'allow', command: 'npm test &>/dev/null', rules: [NPM_TEST], source: 'COMMANDS.md (&> to /dev/null)' },
  { id: 'a-stderr-to-stdout-tail', class: 'too-many-asks', expect: 'allow', command: 'npm test 2>&1 | tail -20', rules: [NPM_TEST, 'allow run_command(tail:*)'], source: 'ours (the most common agent test invocation)' },
  { id: 'a-or-exit', class: 'too-many-asks', expect: 'allow', command: 'npm test || exit 1', rules: [NPM_TEST], source: 'COMMANDS.md (exit is harmless)' },
  { id: 'a-background-wait', class: 'too-many-asks', expect: 'allow', command: 'npm test & wait', rules: [NPM_TEST], source: 'COMMANDS.md (wait is harmless)' },
  { id: 'a-npm-test-extra-args', class: 'too-many-asks', expect: 'allow', command: 'npm test -- --grep foo', rules: [NPM_TEST], source: 'rule-pattern.ts (prefix rule: npm test -- -w)' },
  { id: 'a-npm-test-then-echo', class: 'too-many-asks', expect: 'allow', command: 'npm test; echo done', rules: [NPM_TEST, 'allow run_command(echo:*)'], source: 'microsoft/vscode terminalChatAgentToolsConfiguration.ts (every sub-command matched)' },

  // ── read-only programs under their own prefix rules ─────────────────────────────────────────
  { id: 'a-grep-or-true', class: 'too-many-asks', expect: 'allow', command: 'grep -R x -n || true', rules: ['allow run_command(grep:*)'], source: 'COMMANDS.md (true is harmless)' },
  { id: 'a-git-status-and-diff', class: 'too-many-asks', expect: 'allow', command: 'git status && git diff', rules: ['allow run_command(git status:*)', 'allow run_command(git diff:*)'], source: 'QwenLM/qwen-code shellReadOnlyChecker.test.ts ("allows chained read-only commands with &&")' },
  { id: 'a-ls-head', class: 'too-many-asks', expect: 'allow', command: 'ls -la | head -5', rules: ['allow run_command(ls:*)', 'allow run_command(head:*)'], source: 'QwenLM/qwen-code shellReadOnlyChecker.test.ts ("allows piped read-only commands")' },
  { id: 'a-cd-then-ls', class: 'too-many-asks', expect: 'allow', command: 'cd src && ls', rules: ['allow run_command(ls:*)'], source: 'ours' },
  { id: 'a-git-log-oneline', class: 'too-many-asks', expect: 'allow', command: 'git log --oneline -5', rules: ['allow run_command(git log:*)'], source: 'openai/codex is_safe_command.rs (git log is known safe)' },
  { id: 'a-git-log-p', class: 'too-many-asks', expect: 'allow', command: 'git log -p -1', rules: ['allow run_command(git log:*)'], source: 'openai/codex#18694 ("git log -p" must stay safe; -p of log is patch output, not --paginate)' },
  { id: 'a-git-show-stat', class: 'too-many-asks', expect: 'allow', command: 'git show HEAD --stat', rules: ['allow run_command(git show:*)'], source: 'microsoft/vscode#329026 ("keep ordinary git show … auto-approved")' },
  { id: 'a-git-diff-stat', class: 'too-many-asks', expect: 'allow', command: 'git diff --stat HEAD', rules: ['allow run_command(git diff:*)'], source: 'ours' },
  { id: 'a-usr-bin-git-status', class: 'too-many-asks', expect: 'allow', command: '/usr/bin/git status', rules: ['allow run_command(git status:*)'], source: 'COMMANDS.md (an absolute path in a system bin folder matches)' },
  { id: 'a-find-name', class: 'too-many-asks', expect: 'allow', command: `find . -name '*.ts'`, rules: ['allow run_command(find:*)'], source: 'openai/codex is_safe_command.rs (safe find)' },
  { id: 'a-find-xargs-grep', class: 'too-many-asks', expect: 'allow', command: `find . -name '*.ts' | xargs grep -n foo`, rules: ['allow run_command(find:*)', 'allow run_command(grep:*)'], source: 'COMMANDS.md (xargs: prefix rules can match the inner command)' },
  { id: 'a-rg-n', class: 'too-many-asks', expect: 'allow', command: 'rg -n foo src', rules: ['allow run_command(rg:*)'], source: 'openai/codex is_safe_command.rs ripgrep_rules (safe invocation)' },
  { id: 'a-grep-rm-pattern', class: 'too-many-asks', expect: 'allow', command: 'grep -rn "rm -rf" src', rules: ['allow run_command(grep:*)', 'deny run_command(rm -rf:*)'], source: 'ours (a pattern that looks like a denied command is an argument)' },
  { id: 'a-echo-quoted-operators', class: 'too-many-asks', expect: 'allow', command: 'echo "a && b"', rules: ['allow run_command(echo:*)'], source: 'QwenLM/qwen-code bash parsing (quotes do not split commands)' },
  { id: 'a-echo-single-quoted-subst', class: 'too-many-asks', expect: 'allow', command: `echo 'rm -rf $(x)'`, rules: ['allow run_command(echo:*)'], source: 'ours (nothing expands inside single quotes)' },
  { id: 'a-echo-denied-words', class: 'too-many-asks', expect: 'allow', command: `echo 'git push --force'`, rules: ['allow run_command(echo:*)', 'deny run_command(git push --force:*)'], source: 'ours' },
  { id: 'a-sed-n-range', class: 'too-many-asks', expect: 'allow', command: `sed -n '1,5p' README.md`, rules: ['allow run_command(sed:*)'], source: 'openai/codex#920 (sed -n 1,200p auto-approved)' },
  { id: 'a-diff-to-file', class: 'too-many-asks', expect: 'allow', command: 'diff --to-file=README.md src/a.ts', rules: ['allow run_command(diff:*)'], source: 'diff(1) (--to-file only names the file to compare with; it writes and runs nothing)' },
  { id: 'a-cat-sensitive-read', class: 'too-many-asks', expect: 'allow', command: 'cat .git/config .vscode/settings.json', rules: ['allow run_command(cat:*)'], source: 'sensitive.ts (only writes to sensitive targets ask)' },
  { id: 'a-quoted-heredoc', class: 'too-many-asks', expect: 'allow', command: `cat <<'EOF'\nhello $x\nEOF`, rules: ['allow run_command(cat:*)'], source: 'COMMANDS.md (a quoted heredoc delimiter does not expand)' },
  { id: 'a-substitution-both-allowed', class: 'too-many-asks', expect: 'allow', command: 'echo "$(git rev-parse HEAD)"', rules: ['allow run_command(echo:*)', 'allow run_command(git rev-parse:*)'], source: 'microsoft/vscode terminalChatAgentToolsConfiguration.ts (inline commands must each pass)' },
  { id: 'a-for-loop-static', class: 'too-many-asks', expect: 'allow', command: 'for f in src/a.ts README.md; do wc -l "$f"; done', rules: ['allow run_command(wc:*)'], source: 'COMMANDS.md (for bodies are judged; $NAME is allowed)' },

  // ── harmless by themselves: no rule needed ──────────────────────────────────────────────────
  { id: 'a-cd-alone', class: 'too-many-asks', expect: 'allow', command: 'cd src', source: 'COMMANDS.md (harmless by themselves)' },
  { id: 'a-cd-there-and-back', class: 'too-many-asks', expect: 'allow', command: 'cd src; cd ..', source: 'COMMANDS.md' },
  { id: 'a-true-colon', class: 'too-many-asks', expect: 'allow', command: 'true && :', source: 'COMMANDS.md' },
  { id: 'a-pushd-popd', class: 'too-many-asks', expect: 'allow', command: 'pushd src && popd', source: 'COMMANDS.md (pushd, popd with a static argument)' },

  // ── mode full ───────────────────────────────────────────────────────────────────────────────
  { id: 'a-full-npm-install', class: 'baseline', mode: 'full', expect: 'allow', command: 'npm install', source: 'COMMANDS.md step 7 (mode full allows every simple command)' },
  { id: 'a-full-git-commit', class: 'baseline', mode: 'full', expect: 'allow', command: 'git commit -qm x', source: 'COMMANDS.md step 7' },
  { id: 'a-full-rm-rf-no-deny', class: 'baseline', mode: 'full', expect: 'allow', command: 'rm -rf x', source: 'COMMANDS.md (no deny rule, mode full)' },
  { id: 'a-full-redirect', class: 'baseline', mode: 'full', expect: 'allow', command: 'echo x > out.txt', source: 'COMMANDS.md step 8 (full allows writes)' },
  { id: 'a-full-chain', class: 'baseline', mode: 'full', expect: 'allow', command: 'cd packages/foo && npm install && npm test', source: 'ours' },
  { id: 'a-full-curl', class: 'baseline', mode: 'full', expect: 'allow', command: 'curl -s https://example.com', source: 'COMMANDS.md step 7' },
  { id: 'a-full-rg-pre', class: 'baseline', mode: 'full', expect: 'allow', command: 'rg --pre ./bin/evil fixture README.md', source: 'COMMANDS.md (the option table narrows prefix rules; full mode allows the program itself)' },
  { id: 'a-exact-rule', class: 'baseline', expect: 'allow', command: 'npm test', rules: ['allow run_command(npm test)'], source: 'rule-pattern.ts (exact rule)' },
  { id: 'a-auto-edit-allowed-command', class: 'baseline', mode: 'auto-edit', expect: 'allow', command: 'npm run build', rules: ['allow run_command(npm run build:*)'], source: 'ours' },

  // ── suggested "always allow" rules ─────────────────────────────────────────────────────────
  { id: 'a-suggest-npm-test-watch', class: 'baseline', expect: 'ask', suggested: 'run_command(npm test:*)', command: 'npm test --watch', noProbe: NO_PAYLOAD, source: 'suggest-rule.ts (npm test --watch → npm test:*)' },
  { id: 'a-suggest-exact-rule-extra-args', class: 'baseline', expect: 'ask', command: 'npm test --watch', rules: ['allow run_command(npm test)'], noProbe: NO_PAYLOAD, source: 'rule-pattern.ts (an exact rule does not cover extra arguments)' },
  { id: 'a-suggest-timeout', class: 'baseline', expect: 'ask', suggested: 'run_command(npm test:*)', command: 'timeout 60 npm test', noProbe: NO_PAYLOAD, source: 'ours (never run_command(timeout 60:*))' },
  { id: 'a-suggest-time', class: 'baseline', expect: 'ask', suggested: 'run_command(npm test:*)', command: 'time npm test', noProbe: NO_PAYLOAD, source: 'ours (the wrapper is not part of the rule)' },
  { id: 'a-suggest-nice', class: 'baseline', expect: 'ask', suggested: 'run_command(npm test:*)', command: 'nice -n 5 npm test', noProbe: NO_PAYLOAD, source: 'ours' },
  { id: 'a-suggest-env-make', class: 'baseline', expect: 'ask', suggested: 'run_command(make build:*)', command: 'env FOO=1 make build', noProbe: NO_PAYLOAD, source: 'ours (never run_command(env:*))' },
  { id: 'a-suggest-env-prefix', class: 'baseline', expect: 'ask', suggested: 'run_command(npm test:*)', command: 'FOO=1 npm test', noProbe: NO_PAYLOAD, source: 'ours' },
  { id: 'a-suggest-cd-then', class: 'baseline', expect: 'ask', suggested: 'run_command(npm test:*)', command: 'cd packages/foo && npm test', noProbe: NO_PAYLOAD, source: 'ours (cd needs no rule, so only npm test is pending)' },
  { id: 'a-suggest-git-status', class: 'baseline', expect: 'ask', suggested: 'run_command(git status:*)', command: 'git status', noProbe: NO_PAYLOAD, source: 'ours (never run_command(git:*))' },
  { id: 'a-suggest-git-log-flags', class: 'baseline', expect: 'ask', suggested: 'run_command(git log:*)', command: 'git log --oneline -5', noProbe: NO_PAYLOAD, source: 'ours' },
  { id: 'a-suggest-npm-version', class: 'baseline', expect: 'ask', suggested: 'run_command(npm --version)', command: 'npm --version', noProbe: NO_PAYLOAD, source: 'ours (an option as second word: exact, never npm:*)' },
  { id: 'a-suggest-find', class: 'baseline', expect: 'ask', suggested: 'run_command(find:*)', command: 'find . -name x', noProbe: NO_PAYLOAD, source: 'ours (never run_command(find .:*))' },
  { id: 'a-suggest-ls', class: 'baseline', expect: 'ask', suggested: 'run_command(ls:*)', command: 'ls -la', noProbe: NO_PAYLOAD, source: 'suggest-rule.ts' },
  { id: 'a-suggest-make-target', class: 'baseline', expect: 'ask', suggested: 'run_command(make build:*)', command: 'make build', noProbe: NO_PAYLOAD, source: 'ours' },
  { id: 'a-suggest-python-script', class: 'baseline', expect: 'ask', suggested: 'run_command(python3 script.py)', command: 'python3 script.py', noProbe: NO_PAYLOAD, source: 'suggest-rule.ts (interpreters: exact rule only)' },
  { id: 'a-suggest-one-pending-in-pipe', class: 'baseline', expect: 'ask', suggested: 'run_command(npm test:*)', command: 'npm test 2>&1 | tail -20', rules: ['allow run_command(tail:*)'], noProbe: NO_PAYLOAD, source: 'suggest-rule.ts (exactly one pending sub-command)' },
  { id: 'a-suggest-one-pending-in-chain', class: 'baseline', expect: 'ask', suggested: 'run_command(git status:*)', command: 'git status && git diff', rules: ['allow run_command(git diff:*)'], noProbe: NO_PAYLOAD, source: 'suggest-rule.ts' },
  { id: 'a-suggest-chain-two-pending', class: 'baseline', expect: 'ask', suggested: null, command: 'npm test && git status', noProbe: NO_PAYLOAD, source: 'suggest-rule.ts ("a chain gets nothing")' },
  {
    id: 'a-suggest-sensitive-write', class: 'baseline', mode: 'auto-edit', expect: 'ask', suggested: null,
    command: 'cp README.md CLAUDE.md', rules: ['allow run_command(cp:*)'],
    probe: { shells: ['sh', 'bash'], effects: [{ contains: ['CLAUDE.md', 'fixture'] }] },
    source: 'COMMANDS.md step 6 (approvals of sensitive writes cannot be remembered)',
  },
  {
    // A script run by a shell is a program: only the exact command is offered (as for interpreters).
    id: 'a-suggest-unanalysable', class: 'baseline', expect: 'ask', suggested: 'run_command(bash script.sh)',
    command: 'bash script.sh',
    probe: { shells: ['sh', 'bash'], setup: `echo 'touch pwned' > script.sh`, effects: [{ exists: 'pwned' }] },
    source: 'COMMANDS.md (a script file is judged like a program; interpreters and shells get exact suggestions)',
  },
  // Environment runners are peeled: the rule for the command inside applies (ours).
  { id: 'a-poetry-run-pytest', class: 'too-many-asks', command: 'poetry run pytest -q', rules: ['allow run_command(pytest:*)'], expect: 'allow', source: 'ours (python-poetry.org: poetry run)' },
  { id: 'a-uv-run-with-pytest', class: 'too-many-asks', command: 'uv run --with pytest-cov pytest', rules: ['allow run_command(pytest:*)'], expect: 'allow', source: 'ours (docs.astral.sh/uv: uv run --with)' },
];
