/**
 * The environment a stdio MCP server starts with: only the variables the MCP SDK deems safe to
 * inherit (its `DEFAULT_INHERITED_ENV_VARS`, the list `getDefaultEnvironment()` uses: HOME, LOGNAME,
 * PATH, SHELL, TERM, USER on POSIX; APPDATA, PATH, SYSTEMROOT, TEMP, USERPROFILE, … on Windows),
 * plus the variables the server's config names in `env`. Everything else in the editor's
 * environment (API keys, tokens, `NODE_OPTIONS`, …) stays out of third-party servers.
 *
 * The SDK's own `getDefaultEnvironment()` always reads `process.env`; this applies the same rules
 * (a value starting with `()` is a shell function and is skipped) to the manager's base env.
 */
export function serverEnvironment(
  base: NodeJS.ProcessEnv, inherited: readonly string[], configured: Readonly<Record<string, string>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  // Windows variable names are case-insensitive (`Path`): match them that way there.
  const win = process.platform === 'win32';
  const wanted = new Set(inherited.map((k) => (win ? k.toUpperCase() : k)));
  for (const [key, value] of Object.entries(base)) {
    if (value === undefined || value.startsWith('()')) continue;
    if (wanted.has(win ? key.toUpperCase() : key)) out[key] = value;
  }
  return { ...out, ...configured };
}
