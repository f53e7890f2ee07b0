/**
 * Wrappers: programs that run their arguments as a command (`timeout 60 npm test`, `env X=1 …`,
 * `xargs rm`, `find … -exec …`, `sudo …`) and shells given a script as a string (`sh -c '…'`,
 * `bash <<< '…'`). Each is peeled to the command it runs, so rules judge that command; an option
 * of a wrapper we do not know makes the command not analysable rather than guessed.
 */
import * as path from 'node:path';
import type { Assignment, ShellWord } from './model';
import { runnerStart } from './runners';

/** One level of a command: the words as this level sees them. */
export interface CommandLayer {
  argv: ShellWord[];
  /** Environment given at this level or above (prefix assignments, `env NAME=value`, earlier statements). */
  env: Assignment[];
  /** Reached from the command as written through transparent wrappers only (an allow rule may match it). */
  transparent: boolean;
  /** Runs with raised privileges (behind sudo/doas…). */
  elevated: boolean;
  /** Gets arguments known only at run time (`xargs cmd`, `find -exec cmd {}`). */
  extraArgs: boolean;
}

/** What peeling one layer gave. */
export type Peeled =
  | { kind: 'command'; layer: CommandLayer; cwd?: string }
  | { kind: 'script'; text: string; shell: string; via: CommandLayer }
  | { kind: 'problem'; reason: string }
  | { kind: 'none' };

export const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'ksh', 'mksh', 'posh', 'busybox']);
/** Shells whose syntax differs from sh/bash: their scripts are never judged. */
const FOREIGN_SHELLS = new Set(['zsh', 'fish', 'csh', 'tcsh', 'nu', 'xonsh', 'elvish', 'pwsh', 'powershell', 'cmd']);
const ELEVATE = new Set(['sudo', 'doas', 'pkexec', 'run0', 'su', 'runuser']);

const isAssignment = (w: ShellWord) => w.value !== undefined && /^[A-Za-z_][A-Za-z0-9_]*=/.test(w.value);
const toAssignment = (w: ShellWord): Assignment => ({ name: w.value!.slice(0, w.value!.indexOf('=')), value: w.value!.slice(w.value!.indexOf('=') + 1) });

/**
 * Skips a wrapper's options. `withValue`: options that take the next word; `flags`: options
 * without one. Returns the index of the first operand, or a problem for an unknown option.
 */
function skipOptions(argv: readonly ShellWord[], from: number, withValue: readonly string[], flags: readonly string[]): number | string {
  let i = from;
  while (i < argv.length) {
    const v = argv[i].value;
    if (v === undefined) return `the option "${argv[i].text}" of ${argv[0].value} is computed at run time`;
    if (v === '--') return i + 1;
    if (!v.startsWith('-') || v === '-') return i;
    const [name] = v.split('=', 1);
    if (withValue.includes(name)) { i += v.includes('=') ? 1 : 2; continue; }
    if (flags.includes(name)) { i++; continue; }
    // Attached short value: `-n5`, `-sKILL`, `-oL`.
    if (!v.startsWith('--') && withValue.includes(v.slice(0, 2))) { i++; continue; }
    // A cluster of known short flags: `-ipx`.
    if (!v.startsWith('--') && [...v.slice(1)].every((c) => flags.includes(`-${c}`))) { i++; continue; }
    return `the ${argv[0].value} option "${v}" is not known to this check`;
  }
  return i;
}

/** Peels one wrapper from `layer` (program word first). */
export function peel(layer: CommandLayer, stdin: { text?: string } | undefined, pipedInput: boolean): Peeled {
  const argv = layer.argv;
  const name = path.posix.basename(argv[0]?.value ?? '');
  const inner = (from: number | string, changes: Partial<CommandLayer> = {}, cwd?: string): Peeled => {
    if (typeof from === 'string') return { kind: 'problem', reason: from };
    if (from >= argv.length) return { kind: 'none' };
    const next: CommandLayer = { ...layer, argv: argv.slice(from), ...changes, env: [...layer.env, ...(changes.env ?? [])] };
    if (next.argv[0]?.value === undefined) return { kind: 'problem', reason: `the command run by ${name} ("${next.argv[0]?.text}") is computed at run time` };
    return { kind: 'command', layer: next, ...(cwd ? { cwd } : {}) };
  };

  switch (name) {
    case 'time': return inner(skipOptions(argv, 1, ['-f', '--format', '-o', '--output'], ['-p', '-a', '--append', '-v', '--verbose', '-q', '--quiet', '--portability']));
    case 'nice': return inner(/^-\d+$/.test(argv[1]?.value ?? '') ? 2 : skipOptions(argv, 1, ['-n', '--adjustment'], []));
    case 'nohup': case 'setsid': return inner(skipOptions(argv, 1, [], ['-c', '--ctty', '-f', '--fork', '-w', '--wait']));
    case 'timeout': {
      const at = skipOptions(argv, 1, ['-s', '--signal', '-k', '--kill-after'], ['--preserve-status', '--foreground', '-v', '--verbose']);
      return typeof at === 'string' ? inner(at) : inner(at + 1); // the duration
    }
    case 'stdbuf': return inner(skipOptions(argv, 1, ['-i', '-o', '-e', '--input', '--output', '--error'], []));
    case 'ionice': return inner(skipOptions(argv, 1, ['-c', '--class', '-n', '--classdata'], ['-t', '--ignore']));
    case 'command': {
      const v = argv[1]?.value;
      if (v === '-v' || v === '-V' || v === '-pv' || v === '-pV') return { kind: 'none' }; // only prints what a name is
      return inner(skipOptions(argv, 1, [], ['-p']));
    }
    case 'builtin': return inner(1);
    case 'exec': return inner(skipOptions(argv, 1, ['-a'], ['-c', '-l']));
    case 'env': {
      const at = skipOptions(argv, 1, ['-u', '--unset', '-C', '--chdir'], ['-i', '--ignore-environment', '-0', '--null', '-', '--debug', '-v']);
      if (typeof at === 'string') return inner(argv.some((w) => /^-S|^--split-string/.test(w.value ?? '')) ? 'env -S splits a string into a command line' : at);
      let i = at;
      const env: Assignment[] = [];
      while (i < argv.length && isAssignment(argv[i])) env.push(toAssignment(argv[i++]));
      if (i < argv.length && argv[i].value === undefined) return { kind: 'problem', reason: `"${argv[i].text}" after env is computed at run time` };
      const chdir = argv.findIndex((w, k) => k < at && (w.value === '-C' || w.value === '--chdir' || w.value?.startsWith('--chdir=')));
      const dir = chdir === -1 ? undefined : argv[chdir].value!.includes('=') ? argv[chdir].value!.split('=')[1] : argv[chdir + 1]?.value;
      return inner(i, { env }, dir);
    }
    case 'xargs': {
      const at = skipOptions(argv, 1,
        ['-I', '-i', '-L', '-l', '-n', '-P', '-s', '-d', '-E', '-e', '-a', '--arg-file', '--delimiter', '--max-args', '--max-lines', '--replace', '--max-procs', '--max-chars', '--eof', '--process-slot-var'],
        ['-0', '--null', '-r', '--no-run-if-empty', '-t', '--verbose', '-p', '--interactive', '-x', '--exit', '-o', '--open-tty']);
      if (typeof at === 'number' && at >= argv.length) return { kind: 'command', layer: { ...layer, argv: [{ value: 'echo', text: 'echo' }], extraArgs: true } };
      // -I R / -i[R] / --replace[=R]: every word holding R is filled in from the input at run time.
      const replace = argv.slice(1, typeof at === 'number' ? at : argv.length).reduce<string | undefined>((r, w, k, all) => {
        const v = w.value ?? '';
        if (v === '-I') return all[k + 1]?.value ?? r;
        if (v.startsWith('-I')) return v.slice(2);
        if (v === '-i' || v === '--replace') return '{}';
        if (v.startsWith('-i')) return v.slice(2);
        if (v.startsWith('--replace=')) return v.slice(10);
        return r;
      }, undefined);
      const peeled = inner(at, { extraArgs: true });
      if (replace && peeled.kind === 'command') {
        const filled = peeled.layer.argv.map((w) => (w.value?.includes(replace) ? { text: w.text } : w));
        if (filled[0].value === undefined) return { kind: 'problem', reason: `the command run by xargs ("${filled[0].text}") is filled in at run time` };
        return { ...peeled, layer: { ...peeled.layer, argv: filled } };
      }
      return peeled;
    }
    case 'watch': {
      const at = skipOptions(argv, 1, ['-n', '--interval', '-d', '--differences', '-q', '--equexit'], ['-t', '--no-title', '-b', '--beep', '-e', '--errexit', '-g', '--chgexit', '-c', '--color', '-x', '--exec', '-p', '--precise', '-w', '--no-wrap']);
      if (typeof at === 'string') return inner(at);
      if (argv.some((w, k) => k < at && (w.value === '-x' || w.value === '--exec'))) return inner(at);
      const words = argv.slice(at);
      if (words.some((w) => w.value === undefined)) return { kind: 'problem', reason: 'watch runs a command line computed at run time' };
      return { kind: 'script', text: words.map((w) => w.value).join(' '), shell: 'sh', via: layer };
    }
    case 'flock': {
      const at = skipOptions(argv, 1, ['-w', '--timeout', '-E', '--conflict-exit-code'], ['-s', '--shared', '-x', '-e', '--exclusive', '-u', '--unlock', '-n', '--nb', '--nonblock', '-o', '--close', '--verbose', '-F', '--no-fork']);
      if (typeof at === 'string') return inner(at);
      const c = argv.findIndex((w, k) => k > at && (w.value === '-c' || w.value === '--command'));
      if (c !== -1) {
        const script = argv[c + 1];
        return script?.value === undefined ? { kind: 'problem', reason: 'flock -c runs a command line computed at run time' } : { kind: 'script', text: script.value, shell: 'sh', via: layer };
      }
      return inner(at + 1);
    }
  }
  const runner = runnerStart(name, argv, skipOptions);
  if (runner !== undefined) return inner(runner);
  if (ELEVATE.has(name)) {
    if (name === 'su' || name === 'runuser') return { kind: 'problem', reason: `${name} runs a command line as another user` };
    const at = skipOptions(argv, 1, ['-u', '--user', '-g', '--group', '-C', '--close-from', '-D', '--chdir', '-h', '--host', '-p', '--prompt', '-r', '--role', '-t', '--type', '-U', '--other-user', '-T', '--command-timeout'],
      ['-E', '--preserve-env', '-H', '--set-home', '-n', '--non-interactive', '-S', '--stdin', '-k', '--reset-timestamp', '-b', '--background', '-P', '--preserve-groups', '-A', '--askpass']);
    if (typeof at === 'string') return { kind: 'problem', reason: at };
    if (argv.slice(1, at).some((w) => /^-(s|i)$|^--(shell|login)$/.test(w.value ?? ''))) return { kind: 'problem', reason: `${name} -s/-i runs the command through a shell` };
    return inner(at, { elevated: true, transparent: false });
  }
  if (name === 'busybox' && !SHELLS.has(argv[1]?.value ?? '')) return inner(1); // a multi-call binary: `busybox rm …` is rm
  if (SHELLS.has(name) || FOREIGN_SHELLS.has(name)) return peelShell(layer, name, stdin, pipedInput);
  return { kind: 'none' };
}

/** `sh -c 'script'`, `bash -s <<< 'script'`, `… | sh`, `bash script.sh`. */
function peelShell(layer: CommandLayer, name: string, stdin: { text?: string } | undefined, pipedInput: boolean): Peeled {
  const argv = layer.argv;
  let i = name === 'busybox' ? 2 : 1;
  if (name === 'busybox' && !SHELLS.has(argv[1]?.value ?? '')) return { kind: 'none' };
  let inlineScript = false;
  let readsStdin = false;
  for (; i < argv.length; i++) {
    const v = argv[i].value;
    if (v === undefined) return { kind: 'problem', reason: `the ${name} option "${argv[i].text}" is computed at run time` };
    if (v === '--' || v === '-') { i++; break; }
    if (!v.startsWith('-') && !v.startsWith('+')) break;
    if (v === '-o' || v === '+o' || v === '-O' || v === '+O') { i++; continue; }
    if (/^--(login|noprofile|norc|posix|restricted|verbose|noediting)$/.test(v)) continue;
    if (/^--(rcfile|init-file)$/.test(v)) { i++; continue; }
    if (!/^[-+][a-zA-Z]+$/.test(v)) return { kind: 'problem', reason: `the ${name} option "${v}" is not known to this check` };
    if (v.includes('c')) inlineScript = true;
    if (v.includes('s')) readsStdin = true;
  }
  if (FOREIGN_SHELLS.has(name)) {
    return inlineScript || i >= argv.length ? { kind: 'problem', reason: `${name} scripts are not analysed (only sh and bash syntax is)` } : { kind: 'none' };
  }
  if (inlineScript) {
    const script = argv[i];
    if (!script) return { kind: 'problem', reason: `${name} -c without a command` };
    if (script.value === undefined) return { kind: 'problem', reason: `${name} -c runs a command line computed at run time` };
    return { kind: 'script', text: script.value, shell: name, via: layer };
  }
  if (i < argv.length && !readsStdin) return { kind: 'none' }; // a script file: judged by rules like any program
  if (stdin?.text !== undefined && !pipedInput) return { kind: 'script', text: stdin.text, shell: name, via: layer };
  return { kind: 'problem', reason: `${name} reads commands from ${pipedInput ? 'a pipe' : 'its input'}, which cannot be checked in advance` };
}
