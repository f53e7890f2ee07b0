import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { basename, isAbsolute, join } from 'node:path';
import { homedir } from 'node:os';
import { z } from 'zod';
import { AgentError } from '../base/errors';
import type { McpConfigSource, McpInputDefinition, McpInputResolver, McpServerConfig } from './types';

/** One problem in a config file; the other servers still load. */
export interface McpConfigDiagnostic {
  path: string;
  server?: string;
  message: string;
}

const stringMap = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String));
const serverSchema = z.object({
  type: z.enum(['stdio', 'http', 'sse', 'streamableHttp', 'streamable-http']).optional(),
  command: z.string().min(1).optional(),
  args: z.array(z.union([z.string(), z.number()]).transform(String)).optional(),
  env: stringMap.optional(),
  cwd: z.string().optional(),
  url: z.string().min(1).optional(),
  headers: stringMap.optional(),
  disabled: z.boolean().optional(),
  timeout: z.number().positive().optional(),
}).loose();
const inputSchema = z.object({ id: z.string(), type: z.string().default('promptString'), description: z.string().optional(), password: z.boolean().optional(), default: z.string().optional() }).loose();

/**
 * Parses one server entry of any supported format. Returns a config or an error message.
 * `type` is inferred when missing (command → stdio, url → http), as VS Code and Claude Code do.
 */
export function parseServerEntry(name: string, raw: unknown, source: McpConfigSource): McpServerConfig | string {
  const r = serverSchema.safeParse(raw);
  if (!r.success) return `Invalid server "${name}": ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`;
  const s = r.data;
  const type = s.type === 'streamableHttp' || s.type === 'streamable-http' ? 'http' : s.type ?? (s.command ? 'stdio' : s.url ? 'http' : undefined);
  const common = { name, source, ...(s.disabled ? { disabled: true } : {}), ...(s.timeout ? { callTimeoutMs: s.timeout } : {}) };
  if (type === 'stdio') {
    if (!s.command) return `Server "${name}" (stdio) needs a "command".`;
    return { ...common, type, command: s.command, args: s.args ?? [], env: s.env ?? {}, ...(s.cwd ? { cwd: s.cwd } : {}) };
  }
  if (type === 'http' || type === 'sse') {
    if (!s.url) return `Server "${name}" (${type}) needs a "url".`;
    return { ...common, type, url: s.url, headers: s.headers ?? {} };
  }
  return `Server "${name}" needs either "command" (stdio) or "url" (http/sse).`;
}

export interface ParsedConfigFile {
  servers: McpServerConfig[];
  inputs: McpInputDefinition[];
  diagnostics: McpConfigDiagnostic[];
}

/** Parses `.vscode/mcp.json` (`servers` + `inputs`) or `.mcp.json` (`mcpServers`) text. JSONC comments are allowed. */
export function parseConfigText(text: string, source: McpConfigSource): ParsedConfigFile {
  const path = source.path ?? '(settings)';
  const out: ParsedConfigFile = { servers: [], inputs: [], diagnostics: [] };
  let json: unknown;
  try {
    json = JSON.parse(stripJsonComments(text));
  } catch (e) {
    out.diagnostics.push({ path, message: `Invalid JSON: ${e instanceof Error ? e.message : String(e)}` });
    return out;
  }
  if (typeof json !== 'object' || json === null) {
    out.diagnostics.push({ path, message: 'Expected a JSON object.' });
    return out;
  }
  const obj = json as Record<string, unknown>;
  const servers = source.kind === 'mcp-json' ? obj.mcpServers : obj.servers ?? obj.mcpServers;
  if (servers !== undefined && (typeof servers !== 'object' || servers === null || Array.isArray(servers))) {
    out.diagnostics.push({ path, message: 'The server list must be an object keyed by server name.' });
  } else if (servers) {
    for (const [name, raw] of Object.entries(servers)) {
      const parsed = parseServerEntry(name, raw, source);
      if (typeof parsed === 'string') out.diagnostics.push({ path, server: name, message: parsed });
      else out.servers.push(parsed);
    }
  }
  if (Array.isArray(obj.inputs)) {
    for (const i of obj.inputs) {
      const r = inputSchema.safeParse(i);
      if (r.success) out.inputs.push(r.data);
      else out.diagnostics.push({ path, message: 'Invalid entry in "inputs".' });
    }
  }
  return out;
}

/** Removes // and /* *\/ comments and trailing commas outside strings (mcp.json is JSONC). */
export function stripJsonComments(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      out += c;
      if (c === '\\') { out += text[++i] ?? ''; } else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') { inString = true; out += c; continue; }
    if (c === '/' && text[i + 1] === '/') { while (i < text.length && text[i] !== '\n') i++; out += '\n'; continue; }
    if (c === '/' && text[i + 1] === '*') { i += 2; while (i < text.length && !(text[i] === '*' && text[i + 1] === '/')) i++; i++; continue; }
    out += c;
  }
  return out.replace(/,(\s*[}\]])/g, '$1');
}

/** Reads both workspace config files. Missing files are not an error. */
export async function readWorkspaceConfigs(workspaceRoot: string): Promise<ParsedConfigFile> {
  const files: McpConfigSource[] = [
    { kind: 'vscode-mcp-json', scope: 'workspace', path: join(workspaceRoot, '.vscode', 'mcp.json') },
    { kind: 'mcp-json', scope: 'workspace', path: join(workspaceRoot, '.mcp.json') },
  ];
  const all: ParsedConfigFile = { servers: [], inputs: [], diagnostics: [] };
  const seen = new Set<string>();
  for (const source of files) {
    let text: string;
    try { text = await fs.readFile(source.path!, 'utf8'); } catch { continue; /* absent */ }
    const parsed = parseConfigText(text, source);
    for (const s of parsed.servers) {
      if (seen.has(s.name)) { all.diagnostics.push({ path: source.path!, server: s.name, message: `Server "${s.name}" is defined twice; the first definition is used.` }); continue; }
      seen.add(s.name);
      all.servers.push(s);
    }
    all.inputs.push(...parsed.inputs);
    all.diagnostics.push(...parsed.diagnostics);
  }
  return all;
}

/** `[key, value]` pairs sorted by key, so the same map always hashes the same. */
function sortedEntries(m: Readonly<Record<string, string>>): Array<[string, string]> {
  return Object.entries(m).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The approval key of a server: changes whenever anything that decides what runs or where it
 * connects changes, so the user is asked again. For stdio that is command, args, env and cwd
 * (env matters: `NODE_OPTIONS=--require x`, `LD_PRELOAD` or `PATH` change what runs); for HTTP
 * the transport, URL and headers (they decide what the server is sent). The strings are hashed
 * unresolved, so a `${input:token}` whose value rotates keeps its approval; a literal value that
 * changes asks again, which is the safe direction. 128 bits, so no committed config can be made
 * to collide with one the user approved.
 */
export function configHash(c: McpServerConfig): string {
  const what = c.type === 'stdio'
    ? { t: c.type, command: c.command, args: c.args, env: sortedEntries(c.env), cwd: c.cwd ?? null }
    : { t: c.type, url: c.url, headers: sortedEntries(c.headers) };
  return createHash('sha256').update(JSON.stringify([c.name, c.source.path ?? c.source.kind, what])).digest('hex').slice(0, 32);
}

export interface ResolveContext {
  workspaceRoot: string;
  env: NodeJS.ProcessEnv;
  inputs: readonly McpInputDefinition[];
  resolver?: McpInputResolver;
}

/** Resolves `${workspaceFolder}`, `${workspaceFolderBasename}`, `${userHome}`, `${env:X}` and `${input:id}` in every string. */
export async function resolveServerConfig(c: McpServerConfig, ctx: ResolveContext): Promise<McpServerConfig> {
  const inputCache = new Map<string, string>();
  const one = async (s: string): Promise<string> => {
    let out = '';
    let last = 0;
    for (const m of s.matchAll(/\$\{([^}]+)\}/g)) {
      out += s.slice(last, m.index);
      last = m.index + m[0].length;
      const v = m[1]!;
      if (v === 'workspaceFolder' || v === 'workspaceRoot') out += ctx.workspaceRoot;
      else if (v === 'workspaceFolderBasename') out += basename(ctx.workspaceRoot);
      else if (v === 'userHome') out += homedir();
      else if (v === 'pathSeparator' || v === '/') out += '/';
      else if (v.startsWith('env:')) out += ctx.env[v.slice(4)] ?? '';
      else if (v.startsWith('input:')) {
        const id = v.slice(6);
        let value = inputCache.get(id);
        if (value === undefined) {
          const def = ctx.inputs.find((i) => i.id === id);
          value = ctx.resolver ? await ctx.resolver.resolve(c.name, def, id) : def?.default;
          if (value === undefined) throw new AgentError('bad_request', `MCP server "${c.name}": no value for input "${id}".`, { hint: 'Provide the input when asked, or remove it from the config.' });
          inputCache.set(id, value);
        }
        out += value;
      } else out += m[0]; // unknown variable: leave it visible rather than guess
    }
    return out + s.slice(last);
  };
  const map = async (r: Record<string, string>): Promise<Record<string, string>> =>
    Object.fromEntries(await Promise.all(Object.entries(r).map(async ([k, v]) => [k, await one(v)] as const)));
  if (c.type === 'stdio') {
    const cwd = c.cwd !== undefined ? await one(c.cwd) : undefined;
    return {
      ...c, command: await one(c.command), args: await Promise.all(c.args.map(one)), env: await map(c.env),
      ...(cwd !== undefined ? { cwd: isAbsolute(cwd) ? cwd : join(ctx.workspaceRoot, cwd) } : {}),
    };
  }
  return { ...c, url: await one(c.url), headers: await map(c.headers) };
}

/** Variables that resolve to the workspace folder (or its name). */
const FOLDER_VARIABLE = /\$\{(workspaceFolder|workspaceRoot|workspaceFolderBasename)\}/;

/**
 * Whether a server's launch depends on the folder it is resolved for: a `${workspaceFolder}`,
 * `${workspaceRoot}` or `${workspaceFolderBasename}` anywhere in command, args, env or cwd (URL
 * and headers for HTTP), or a `cwd` that stays relative once `${userHome}` and `${env:X}` are
 * resolved (resolveServerConfig takes it from the folder). Such a server started for a session's
 * worktree must run there, not in the main tree; any other server can be shared by both.
 * A stdio server without `cwd` runs where the host process runs, so it does not depend on it.
 */
export function dependsOnWorkspaceFolder(c: McpServerConfig, env: NodeJS.ProcessEnv = process.env): boolean {
  const strings = c.type === 'stdio'
    ? [c.command, ...c.args, ...Object.values(c.env), ...(c.cwd !== undefined ? [c.cwd] : [])]
    : [c.url, ...Object.values(c.headers)];
  if (strings.some((s) => FOLDER_VARIABLE.test(s))) return true;
  if (c.type !== 'stdio' || c.cwd === undefined) return false;
  const cwd = c.cwd.replace(/\$\{userHome\}/g, homedir()).replace(/\$\{env:([^}]+)\}/g, (_, name: string) => env[name] ?? '');
  return !isAbsolute(cwd);
}
