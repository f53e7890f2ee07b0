/**
 * MCP servers from the `agentSessions.mcpServers` setting. User settings are the user's own
 * (scope `user`: no approval, run in restricted mode); workspace and folder settings come with
 * the repository, so they are `workspace` servers: off until trusted, approved once like
 * .vscode/mcp.json. The most specific scope wins a name clash. Pure: takes the inspect result.
 */
import { parseServerEntry } from '../../core/mcp/config';
import type { McpServerConfig } from '../../core/mcp/types';
import type { SettingInspection } from '../settings';

export interface SettingsServers {
  servers: McpServerConfig[];
  /** One line per invalid entry (the others still load). */
  problems: string[];
}

export function settingsServers(info: SettingInspection | undefined): SettingsServers {
  const out = new Map<string, McpServerConfig>();
  const problems: string[] = [];
  const scopes: Array<[unknown, 'user' | 'workspace', string]> = [
    [info?.workspaceFolderValue, 'workspace', 'folder settings'],
    [info?.workspaceValue, 'workspace', 'workspace settings'],
    [info?.globalValue, 'user', 'user settings'],
  ];
  for (const [value, scope, label] of scopes) {
    if (value === undefined) continue;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      problems.push(`agentSessions.mcpServers (${label}) must be an object keyed by server name.`);
      continue;
    }
    for (const [name, raw] of Object.entries(value as Record<string, unknown>)) {
      if (out.has(name)) continue;
      const parsed = parseServerEntry(name, raw, { kind: 'settings', scope });
      if (typeof parsed === 'string') problems.push(`agentSessions.mcpServers (${label}): ${parsed}`);
      else out.set(name, parsed);
    }
  }
  return { servers: [...out.values()], problems };
}
