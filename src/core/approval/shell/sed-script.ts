/**
 * GNU sed scripts, read command by command to find the ones that run programs or write files:
 * `e` (execute), `w`/`W` (write a file), and the `e`/`w` flags of `s///`. A script this reader
 * cannot follow is treated as one that can.
 */

const SIMPLE_COMMANDS = new Set(['=', 'd', 'D', 'g', 'G', 'h', 'H', 'n', 'N', 'p', 'P', 'x', 'z', 'F']);

/** True when the sed script can run a command or write a file (or cannot be read with confidence). */
export function sedScriptRunsOrWrites(script: string): boolean {
  const s = script;
  let i = 0;
  const skipBlanks = () => { while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++; };
  /** Reads a delimited part (`/re/`, `\%re%`), honouring backslash escapes; returns false when unterminated. */
  const delimited = (delim: string): boolean => {
    while (i < s.length && s[i] !== delim) {
      if (s[i] === '\\') i++;
      else if (s[i] === '\n') return false;
      i++;
    }
    if (i >= s.length) return false;
    i++;
    return true;
  };
  const address = (): boolean => {
    if (/[0-9]/.test(s[i] ?? '')) { while (/[0-9~]/.test(s[i] ?? '')) i++; return true; }
    if (s[i] === '$') { i++; return true; }
    if (s[i] === '/') { i++; if (!delimited('/')) return false; while (/[IM]/.test(s[i] ?? '')) i++; return true; }
    if (s[i] === '\\') { const d = s[i + 1]; if (!d) return false; i += 2; if (!delimited(d)) return false; while (/[IM]/.test(s[i] ?? '')) i++; return true; }
    return true; // no address
  };
  const toEndOfLine = () => { while (i < s.length && s[i] !== '\n') i++; };
  const label = () => { while (i < s.length && s[i] !== ';' && s[i] !== '\n' && s[i] !== '}') i++; };

  while (i < s.length) {
    skipBlanks();
    const c = s[i];
    if (c === undefined) break;
    if (c === ';' || c === '\n' || c === '}' ) { i++; continue; }
    if (c === '#') { toEndOfLine(); continue; }
    if (!address()) return true;
    skipBlanks();
    if (s[i] === ',') { i++; skipBlanks(); if (s[i] === '+' || s[i] === '~') { i++; } if (!address()) return true; skipBlanks(); }
    while (s[i] === '!') { i++; skipBlanks(); }
    const cmd = s[i++];
    if (cmd === undefined) return true;
    if (cmd === '{') continue;
    if (SIMPLE_COMMANDS.has(cmd)) continue;
    if (cmd === 'q' || cmd === 'Q' || cmd === 'l' || cmd === 'L') { skipBlanks(); while (/[0-9]/.test(s[i] ?? '')) i++; continue; }
    if (cmd === 'b' || cmd === 't' || cmd === 'T' || cmd === ':') { label(); continue; }
    if (cmd === 'a' || cmd === 'i' || cmd === 'c' || cmd === 'r' || cmd === 'R') { toEndOfLine(); continue; }
    if (cmd === 'y') { const d = s[i++]; if (!d || !delimited(d) || !delimited(d)) return true; continue; }
    if (cmd === 's') {
      const d = s[i++];
      if (!d || d === '\n' || d === '\\' || !delimited(d) || !delimited(d)) return true;
      while (i < s.length && /[gpiImM0-9ew]/.test(s[i])) {
        if (s[i] === 'e' || s[i] === 'w') return true;
        i++;
      }
      continue;
    }
    // e, w, W, v and anything unknown.
    return true;
  }
  return false;
}
