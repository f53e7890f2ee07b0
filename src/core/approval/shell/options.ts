/**
 * Splits a program's arguments into options and operands the way getopt-style programs read
 * them: combined short flags (`-rf`), attached values (`-n5`, `--lines=5`), options that take the
 * next word, and `--` ending the options. Flags are mapped to canonical names through aliases so
 * `rm --recursive --force` and `rm -fr` read the same.
 */
import type { ShellWord } from './model';

/** How one program's options look. */
export interface OptionSyntax {
  /** Short option letters that take a value (`n` for `nice -n 5`). */
  shortValue?: string;
  /** Long options (without `--`) that take a value when not written with `=`. */
  longValue?: readonly string[];
  /** Canonical names: long option (without `--`) or short letter → canonical name. */
  aliases?: Readonly<Record<string, string>>;
  /** Options end at the first operand (`git -C x status -s`: `-s` belongs to status). Default false. */
  stopAtOperand?: boolean;
  /** Long options may be written with one dash (`find -name`, `java -jar`): no short-flag splitting. */
  singleDashLong?: boolean;
  /** Further long option names (without `--`) whose unique abbreviations are read as them. */
  longNames?: readonly string[];
}

export type Arg =
  /** `value` is the option's argument (attached or the next word), absent for a plain flag. */
  | { kind: 'flag'; name: string; value?: ShellWord; raw: ShellWord }
  | { kind: 'operand'; word: ShellWord; index: number }
  /** A word whose value is computed at run time: it may be an option or an operand. */
  | { kind: 'unknown'; word: ShellWord; index: number };

/** Long option names the program knows (for getopt-style unique abbreviations such as `--recur`). */
function knownLong(syntax: OptionSyntax): string[] {
  return [...Object.keys(syntax.aliases ?? {}).filter((k) => k.length > 1), ...(syntax.longValue ?? []), ...(syntax.longNames ?? [])];
}

function canonical(syntax: OptionSyntax, name: string, long = false): string {
  const exact = syntax.aliases?.[name];
  if (exact !== undefined) return exact;
  if (long && name.length >= 2) {
    const known = [...new Set(knownLong(syntax))];
    if (known.includes(name)) return name;
    const matches = known.filter((k) => k.startsWith(name));
    if (matches.length === 1) return syntax.aliases?.[matches[0]] ?? matches[0];
  }
  return name;
}

/** Reads `args` (the words after the program name) with `syntax`. */
export function readArgs(args: readonly ShellWord[], syntax: OptionSyntax = {}): Arg[] {
  const out: Arg[] = [];
  let optionsEnded = false;
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    const v = w.value;
    if (v === undefined) { out.push({ kind: 'unknown', word: w, index: i }); continue; }
    if (optionsEnded || v === '-' || !v.startsWith('-')) {
      out.push({ kind: 'operand', word: w, index: i });
      if (syntax.stopAtOperand) optionsEnded = true;
      continue;
    }
    if (v === '--') { optionsEnded = true; continue; }
    if (v.startsWith('--') || syntax.singleDashLong) {
      const body = v.replace(/^--?/, '');
      const eq = body.indexOf('=');
      const name = eq === -1 ? body : body.slice(0, eq);
      const long = canonical(syntax, name, true);
      if (eq !== -1) out.push({ kind: 'flag', name: long, value: { value: body.slice(eq + 1), text: w.text }, raw: w });
      else if ((syntax.longValue?.includes(name) || syntax.longValue?.includes(long)) && i + 1 < args.length) out.push({ kind: 'flag', name: long, value: args[++i], raw: w });
      else out.push({ kind: 'flag', name: long, raw: w });
      continue;
    }
    // A cluster of short flags; a value-taking letter takes the rest of the word or the next word.
    for (let k = 1; k < v.length; k++) {
      const letter = v[k];
      if (syntax.shortValue?.includes(letter)) {
        const rest = v.slice(k + 1);
        const value = rest !== '' ? { value: rest, text: rest } : i + 1 < args.length ? args[++i] : undefined;
        out.push({ kind: 'flag', name: canonical(syntax, letter), value, raw: w });
        break;
      }
      out.push({ kind: 'flag', name: canonical(syntax, letter), raw: w });
    }
  }
  return out;
}

export const operands = (args: readonly Arg[]): ShellWord[] => args.flatMap((a) => (a.kind === 'operand' ? [a.word] : []));
export const hasFlag = (args: readonly Arg[], ...names: string[]): boolean => args.some((a) => a.kind === 'flag' && names.includes(a.name));
/** The values given to any of `names` (a flag given without a value is skipped). */
export const flagValues = (args: readonly Arg[], ...names: string[]): ShellWord[] =>
  args.flatMap((a) => (a.kind === 'flag' && names.includes(a.name) && a.value ? [a.value] : []));
