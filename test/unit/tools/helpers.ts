import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { nullLogger } from '../../../src/core/ports';
import type { ToolContext } from '../../../src/core/tools/types';
import type { TaskItem } from '../../../src/core/session/types';

/** A fresh real-path temp folder and its cleanup. */
export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = realpathSync(mkdtempSync(path.join(tmpdir(), prefix)));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A ToolContext over one workspace root, collecting streamed output. */
export function makeCtx(root: string, signal: AbortSignal = new AbortController().signal): ToolContext & { output: string[]; taskList: TaskItem[] } {
  const output: string[] = [];
  let taskList: TaskItem[] = [];
  return {
    sessionId: 's1', callId: 'c1', workspaceRoots: [root], signal, logger: nullLogger, output,
    onOutput: (chunk) => output.push(chunk),
    tasks: { get: () => taskList, set: (t) => { taskList = t; } },
    get taskList() { return taskList; },
  };
}
