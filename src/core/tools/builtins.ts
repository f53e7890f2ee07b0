import { createDeleteFileTool } from './delete-file';
import { createEditFileTool } from './edit-file';
import { createFindFilesTool } from './find-files';
import { createListDirTool } from './list-dir';
import { createMoveFileTool } from './move-file';
import { createReadFileTool, type ReadFileOptions } from './read-file';
import { createRunCommandTool, type RunCommandOptions } from './run-command';
import { createSearchTextTool, type SearchTextOptions } from './search-text';
import { createUpdateTasksTool } from './update-tasks';
import { createWriteFileTool } from './write-file';
import type { AnyTool } from './types';

export interface BuiltinToolOptions {
  /** rg executables to try before PATH, e.g. `vscodeRipgrepCandidates(vscode.env.appRoot)`. */
  ripgrepPaths?: readonly string[];
  readFile?: ReadFileOptions;
  search?: Omit<SearchTextOptions, 'ripgrepPaths'>;
  runCommand?: RunCommandOptions;
  /** Result cap of find_files. Default 500. */
  findMaxResults?: number;
  /** Entry cap of list_dir. Default 1000. */
  listMaxEntries?: number;
  /** Byte cap of write_file content. Default 5 MB. */
  writeMaxBytes?: number;
}

/** Names of the built-in tools, in the order they are offered to the model. */
export const BUILTIN_TOOL_NAMES = ['read_file', 'list_dir', 'find_files', 'search_text', 'write_file', 'edit_file', 'delete_file', 'move_file', 'run_command', 'update_tasks'] as const;

/** All built-in tools, ready to register in a {@link ToolRegistry}. */
export function createBuiltinTools(options: BuiltinToolOptions = {}): AnyTool[] {
  return [
    createReadFileTool(options.readFile),
    createListDirTool({ maxEntries: options.listMaxEntries }),
    createFindFilesTool({ defaultMaxResults: options.findMaxResults }),
    createSearchTextTool({ ...options.search, ripgrepPaths: options.ripgrepPaths }),
    createWriteFileTool({ maxBytes: options.writeMaxBytes }),
    createEditFileTool(),
    createDeleteFileTool(),
    createMoveFileTool(),
    createRunCommandTool(options.runCommand),
    createUpdateTasksTool(),
  ];
}

export { ToolRegistry } from './registry';
export { vscodeRipgrepCandidates } from './ripgrep';
export { resolveWorkspacePath, type ResolvedPath } from './workspace-paths';
