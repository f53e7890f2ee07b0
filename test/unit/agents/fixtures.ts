/**
 * Agent files as the published formats write them (VS Code's custom agent file reference and
 * tools reference; Claude Code's sub-agents docs), laid out in a temp workspace and home folder.
 */
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** `.github/agents/*.agent.md` (VS Code / GitHub Copilot). */
export const COPILOT_FILES: Record<string, string> = {
  // The example of VS Code's custom agent file reference.
  'reviewer.agent.md': `---
name: Reviewer
description: Review changes without editing files
tools: ['read', 'search']
---
Review the supplied changes for correctness and missing tests.
Report actionable findings with file references. Do not edit files.
`,
  // An older chat-mode style list (no name: the file name), an MCP server set, a single MCP tool,
  // tools we do not have, and a model list with fallback as VS Code writes display names.
  'planner.agent.md': `---
description: 'Generate an implementation plan for new features or refactoring existing code.'
tools: ['codebase', 'fetch', 'githubRepo', 'usages', 'github/*', 'playwright/browser_navigate', 'runCommands']
model: ['Claude Sonnet 4.5 (copilot)', 'GPT-4.1 (copilot)']
handoffs:
  - label: Implement Plan
    agent: agent
    prompt: Implement the plan outlined above.
    send: false
---
# Planning instructions
You are in planning mode. Generate an implementation plan; do not make code edits.
`,
  // Qualified VS Code tool names.
  'tester.agent.md': `---
name: tester
description: Runs the tests and reads failures
tools:
  - read/readFile
  - search/textSearch
  - execute/runInTerminal
  - execute/testFailure
---
Run the test suite and explain failures.
`,
};

/** `.claude/agents/*.md` (Claude Code sub-agents). */
export const CLAUDE_FILES: Record<string, string> = {
  // The shape of Claude Code's docs example.
  'code-reviewer.md': `---
name: code-reviewer
description: Expert code review specialist. Proactively reviews code for quality, security, and maintainability. Use immediately after writing or modifying code.
tools: Read, Grep, Glob, Bash
model: sonnet
---
You are a senior code reviewer ensuring high standards of code quality and security.

When invoked:
1. Run git diff to see recent changes
2. Focus on modified files
3. Begin review immediately
`,
  'web-researcher.md': `---
name: web-researcher
description: Looks things up on the web
tools: WebFetch, WebSearch
---
Research the question on the web.
`,
  'safe-editor.md': `---
name: safe-editor
description: Edits without running commands
disallowedTools: Bash, Write, Bash(rm:*)
model: inherit
---
Edit carefully.
`,
  'git-helper.md': `---
name: git-helper
description: Stages and commits
tools: Read, Bash(git add:*, git commit:*), mcp__github__create_pull_request, mcp__linear
model: gpt-4.1
---
Stage and commit the work.
`,
  'broken.md': `---
name: broken
description: [unclosed
tools: Read
---
Never loads.
`,
  // Same name as .github/agents/reviewer.agent.md: the .github one wins, this one is reported.
  'reviewer.md': `---
name: Reviewer
description: A second reviewer
---
Shadowed.
`,
};

/** `~/.claude/agents/*.md` (user agents). */
export const USER_FILES: Record<string, string> = {
  'code-reviewer.md': `---
name: code-reviewer
description: The user's own reviewer (hidden by the workspace's)
---
User reviewer.
`,
  'helper.md': `---
name: helper
description: A user agent
tools: Read
---
Help.
`,
};

export interface AgentTree {
  workspace: string;
  home: string;
  dispose(): Promise<void>;
}

/** Writes the fixture files into a fresh temp workspace and home folder. */
export async function agentTree(): Promise<AgentTree> {
  const base = await mkdtemp(path.join(tmpdir(), 'agents-'));
  const workspace = path.join(base, 'ws');
  const home = path.join(base, 'home');
  const put = async (dir: string, files: Record<string, string>): Promise<void> => {
    await mkdir(dir, { recursive: true });
    for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  };
  await put(path.join(workspace, '.github', 'agents'), COPILOT_FILES);
  await put(path.join(workspace, '.claude', 'agents'), CLAUDE_FILES);
  await put(path.join(home, '.claude', 'agents'), USER_FILES);
  // Not an agent file: .github/agents only holds *.agent.md.
  await writeFile(path.join(workspace, '.github', 'agents', 'README.md'), '# Our agents\n');
  return { workspace, home, dispose: () => rm(base, { recursive: true, force: true }) };
}
