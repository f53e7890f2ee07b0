/**
 * What common programs do with their arguments: options that make them run something else
 * (never covered by a prefix rule), files they write through arguments, inline code that cannot
 * be judged, and their flags in canonical form (so deny rules see `rm -fr` as `rm -rf`).
 * Facts come from the programs' manuals and from other agents' command-safety tests.
 */
import * as path from 'node:path';
import type { ShellWord } from './model';
import { flagValues, hasFlag, operands, readArgs, type Arg, type OptionSyntax } from './options';
import { sedScriptRunsOrWrites } from './sed-script';
import { changesWhatRuns as isRunVariable } from './env';

/** A file (or a folder's content) a command writes through its arguments. */
export interface ProgramWrite {
  target: ShellWord;
  how: string;
  /** The command may write anything under the target (recursive copies and deletions). */
  folder?: boolean;
  /** When the target is a folder, the command writes `target/<basename>` of each of these. */
  into?: ShellWord[];
}

/** One command's arguments as the program reads them. */
export interface ProgramView {
  /** Basename of the program word. */
  name: string;
  /** Sub-command words (`push` for `git push`, `run build` is `run`), empty when none. */
  subcommand: string[];
  /** Canonical flags (deny matching). */
  flags: Set<string>;
  /** Operands after the sub-command. */
  operands: ShellWord[];
  /** Some argument is computed at run time (it may be any option). */
  unknownArgs: boolean;
  /** An option that makes it run something else or write elsewhere: what and at which argv index. */
  risky?: { reason: string; index: number };
  /** Inline code or similar: the command cannot be judged at all. */
  opaque?: string;
  writes: ProgramWrite[];
}

interface Facts {
  syntax?: OptionSyntax;
  /** Programs with sub-commands (`git`, `npm`): rules name the sub-command. */
  subcommands?: boolean;
  risky?(args: Arg[], sub: string[]): { reason: string; arg?: Arg } | undefined;
  writes?(args: Arg[], sub: string[]): ProgramWrite[];
  opaque?(args: Arg[], sub: string[]): string | undefined;
}

const firstFlag = (args: Arg[], names: readonly string[]): Arg | undefined => args.find((a) => a.kind === 'flag' && names.includes(a.name));
const riskyFlag = (names: readonly string[], reason: string) => (args: Arg[]) => {
  const a = firstFlag(args, names);
  return a ? { reason, arg: a } : undefined;
};
const each = (how: string, folderFlag?: string[]) => (args: Arg[]): ProgramWrite[] => {
  const folder = folderFlag ? hasFlag(args, ...folderFlag) : false;
  return operands(args).map((target) => ({ target, how, folder }));
};
/** `cp`/`mv`/`install`/`ln`-style: SOURCE… DEST or `-t DIR SOURCE…`. */
function copyLike(how: string, opts: { sourcesWritten?: boolean; linkFlags?: string[]; folderFlags?: string[] } = {}) {
  return (args: Arg[]): ProgramWrite[] => {
    const ops = operands(args);
    const dir = flagValues(args, 't');
    const folder = opts.folderFlags ? hasFlag(args, ...opts.folderFlags) : false;
    const sources = dir.length > 0 ? ops : ops.slice(0, -1);
    const dest = dir.length > 0 ? dir : ops.slice(-1);
    const out: ProgramWrite[] = dest.map((target) => ({ target, how, folder, into: sources }));
    if (opts.sourcesWritten || (opts.linkFlags && hasFlag(args, ...opts.linkFlags))) out.push(...sources.map((target) => ({ target, how: `${how} (source)`, folder })));
    return out;
  };
}

const INTERPRETER_INLINE: Record<string, { flags: string[]; syntax?: OptionSyntax }> = {
  python: { flags: ['c'], syntax: { shortValue: 'cmWX', stopAtOperand: true } },
  node: { flags: ['e', 'p', 'eval', 'print'], syntax: { shortValue: 'er', longValue: ['require', 'import', 'loader', 'eval', 'print'], stopAtOperand: true } },
  deno: { flags: ['eval'], syntax: { stopAtOperand: true } },
  bun: { flags: ['e', 'eval', 'p', 'print'], syntax: { stopAtOperand: true } },
  perl: { flags: ['e', 'E'], syntax: { shortValue: 'eEIMm', stopAtOperand: true } },
  ruby: { flags: ['e'], syntax: { shortValue: 'erI', stopAtOperand: true } },
  php: { flags: ['r', 'R', 'B', 'E'], syntax: { shortValue: 'rRBEdc', stopAtOperand: true } },
  lua: { flags: ['e'], syntax: { shortValue: 'el', stopAtOperand: true } },
  osascript: { flags: ['e'], syntax: { shortValue: 'el' } },
  pwsh: { flags: ['c', 'command', 'Command', 'EncodedCommand', 'e'], syntax: { singleDashLong: true, stopAtOperand: true } },
  Rscript: { flags: ['e'], syntax: { shortValue: 'e', stopAtOperand: true } },
};

/** Interpreter name for `python3.12`, `nodejs`, `perl5.36` … */
export function interpreterOf(name: string): string | undefined {
  const base = name.replace(/\.exe$/, '');
  if (/^python(\d+(\.\d+)*)?$/.test(base) || base === 'pypy3') return 'python';
  if (base === 'nodejs') return 'node';
  if (/^perl(\d+(\.\d+)*)?$/.test(base)) return 'perl';
  if (/^ruby\d*(\.\d+)*$/.test(base)) return 'ruby';
  if (/^php\d*(\.\d+)*$/.test(base)) return 'php';
  if (/^lua\d*(\.\d+)*$/.test(base) || base === 'luajit') return 'lua';
  if (base === 'powershell') return 'pwsh';
  return base in INTERPRETER_INLINE ? base : undefined;
}

const GIT_GLOBAL: OptionSyntax = { shortValue: 'Cc', longValue: ['git-dir', 'work-tree', 'namespace', 'config-env', 'super-prefix', 'list-cmds', 'attr-source'], stopAtOperand: true };
const GIT_RISKY_GLOBAL = ['c', 'config-env', 'exec-path', 'git-dir', 'work-tree', 'super-prefix'];
const GIT_RISKY_SUB: Record<string, string[]> = {
  grep: ['O', 'open-files-in-pager'],
  diff: ['ext-diff', 'textconv', 'output'], log: ['ext-diff', 'textconv', 'output'], show: ['ext-diff', 'textconv', 'output'],
  'format-patch': ['output', 'o', 'output-directory'], archive: ['exec', 'remote', 'output', 'o'],
  fetch: ['upload-pack'], pull: ['upload-pack'], clone: ['upload-pack', 'u', 'template', 'c', 'config'], 'ls-remote': ['upload-pack'],
  push: ['receive-pack', 'exec'], rebase: ['x', 'exec'], difftool: ['x', 'extcmd', 't', 'tool'], blame: ['contents'],
  'send-email': ['smtp-server', 'to-cmd', 'cc-cmd', 'header-cmd'],
};
const GIT_RISKY_SUBCOMMANDS = new Set(['filter-branch', 'mergetool', 'instaweb', 'daemon', 'credential', 'upload-pack', 'receive-pack', 'shell', 'web--browse', 'config', 'alias']);
/** `git submodule foreach CMD`, `git bisect run CMD`: commands given as arguments. */
const GIT_RUNS_ARGUMENTS: Record<string, string> = { submodule: 'foreach', bisect: 'run' };

function gitView(args: readonly ShellWord[]): Omit<ProgramView, 'name' | 'unknownArgs'> {
  const global = readArgs(args, GIT_GLOBAL);
  const subIndex = global.find((a) => a.kind !== 'flag');
  const globalRisky = global.find((a) => a.kind === 'flag' && GIT_RISKY_GLOBAL.includes(a.name));
  const rest = subIndex ? args.slice(subIndex.index + 1) : [];
  const sub = subIndex && subIndex.kind === 'operand' ? subIndex.word.value! : '';
  const subArgs = readArgs(rest, {
    shortValue: sub === 'commit' ? 'mFCcm' : sub === 'grep' ? 'efABC' : sub === 'log' ? 'n' : '',
    longValue: ['output', 'format', 'exec', 'upload-pack', 'receive-pack', 'template', 'config', 'output-directory', 'remote', 'smtp-server', 'file'],
    aliases: sub === 'push' ? { f: 'force', force: 'force', 'force-with-lease': 'force', mirror: 'force', d: 'delete', delete: 'delete', 'force-if-includes': 'force' } : sub === 'clean' ? { force: 'f' } : {},
    longNames: GIT_RISKY_SUB[sub] ?? [],
  });
  const flags = new Set(subArgs.flatMap((a) => (a.kind === 'flag' ? [a.name] : [])));
  const ops = operands(subArgs);
  if (sub === 'push' && ops.some((o) => o.value?.startsWith('+'))) flags.add('force');
  const writes: ProgramWrite[] = flagValues(subArgs, 'output', 'o', 'output-directory').map((target) => ({ target, how: `git ${sub} --output` }));
  if (sub === 'config' && !subArgs.some((a) => a.kind === 'flag' && /^(get|get-all|get-regexp|get-urlmatch|list|l|show-origin|show-scope|name-only|null|z)$/.test(a.name))
    && !(operands(subArgs).length === 1 && !subArgs.some((a) => a.kind === 'flag'))) {
    const file = flagValues(subArgs, 'file', 'f')[0];
    const where = file ?? (hasFlag(subArgs, 'global') ? { value: path.join(process.env.HOME ?? '/', '.gitconfig'), text: '~/.gitconfig' } : hasFlag(subArgs, 'system') ? { value: '/etc/gitconfig', text: '/etc/gitconfig' } : { value: '.git/config', text: '.git/config' });
    writes.push({ target: where, how: 'git config' });
  }
  let risky: ProgramView['risky'];
  const offset = (subIndex ? subIndex.index + 1 : args.length) + 1;
  if (globalRisky?.kind === 'flag') risky = { reason: `git ${globalRisky.raw.value} can run any program`, index: args.indexOf(globalRisky.raw) + 1 };
  else if (GIT_RISKY_SUBCOMMANDS.has(sub) && !(sub === 'config' && writes.length === 0)) risky = { reason: `git ${sub} can run other programs or change git's configuration`, index: offset - 1 };
  else {
    const bad = subArgs.find((a) => a.kind === 'flag' && GIT_RISKY_SUB[sub]?.includes(a.name));
    if (bad?.kind === 'flag') risky = { reason: `git ${sub} ${bad.raw.value} can run another program or write a file`, index: offset + rest.indexOf(bad.raw) };
  }
  const runs = GIT_RUNS_ARGUMENTS[sub];
  const alias = global.find((a) => a.kind === 'flag' && a.name === 'c' && /^alias\./i.test(a.value?.value ?? 'alias.'));
  const opaque = alias ? 'git -c alias.… defines what a git command runs'
    : runs !== undefined && ops.some((o) => o.value === runs || o.value === undefined) ? `git ${sub} ${runs} runs commands given as arguments` : undefined;
  return { subcommand: sub ? [sub] : [], flags, operands: ops, risky, writes, ...(opaque ? { opaque } : {}) };
}

const PROGRAMS: Record<string, Facts> = {
  rm: { syntax: { aliases: { recursive: 'r', R: 'r', force: 'f', dir: 'd' } }, writes: each('rm', ['r']) },
  rmdir: { writes: each('rmdir') },
  unlink: { writes: each('unlink') },
  mkdir: { syntax: { shortValue: 'm', longValue: ['mode', 'context'] }, writes: each('mkdir') },
  touch: { syntax: { shortValue: 'dtr', longValue: ['date', 'reference', 'time'] }, writes: each('touch') },
  truncate: { syntax: { shortValue: 'sr', longValue: ['size', 'reference'] }, writes: each('truncate') },
  tee: { writes: each('tee') },
  chmod: { syntax: { aliases: { recursive: 'R' } }, writes: (a) => operands(a).slice(a.some((x) => x.kind === 'flag' && x.name === 'reference') ? 0 : 1).map((target) => ({ target, how: 'chmod', folder: hasFlag(a, 'R') })) },
  chown: { syntax: { aliases: { recursive: 'R' } }, writes: (a) => operands(a).slice(1).map((target) => ({ target, how: 'chown', folder: hasFlag(a, 'R') })) },
  cp: { syntax: { shortValue: 'tS', longValue: ['target-directory', 'suffix', 'backup', 'reflink', 'sparse', 'preserve'], aliases: { 'target-directory': 't', recursive: 'r', R: 'r', link: 'l', 'symbolic-link': 's' } }, writes: copyLike('cp', { linkFlags: ['l', 's'], folderFlags: ['r', 'a', 'archive'] }) },
  mv: { syntax: { shortValue: 'tS', longValue: ['target-directory', 'suffix', 'backup'], aliases: { 'target-directory': 't' } }, writes: copyLike('mv', { sourcesWritten: true, folderFlags: [] }) },
  install: { syntax: { shortValue: 'mogtS', longValue: ['mode', 'owner', 'group', 'target-directory', 'suffix'], aliases: { 'target-directory': 't', directory: 'd' } }, writes: (a) => (hasFlag(a, 'd') ? each('install -d')(a) : copyLike('install')(a)) },
  ln: { syntax: { shortValue: 'tS', longValue: ['target-directory', 'suffix'], aliases: { 'target-directory': 't', symbolic: 's', force: 'f' } }, writes: (a) => {
    const ops = operands(a);
    // The link and what it points to: a later write through the link lands on its target.
    if (flagValues(a, 't').length === 0 && ops.length === 1) return [{ target: { value: '.', text: '.' }, how: 'ln', into: ops }, { target: ops[0], how: 'ln (link target)' }];
    return copyLike('ln', { sourcesWritten: true })(a);
  } },
  dd: { writes: (a) => operands(a).flatMap((o) => (o.value?.startsWith('of=') ? [{ target: { value: o.value.slice(3), text: o.text }, how: 'dd of=' }] : [])) },
  sort: { syntax: { shortValue: 'oTkStS', longValue: ['output', 'temporary-directory', 'key', 'field-separator', 'buffer-size', 'compress-program', 'files0-from'], aliases: { output: 'o' } },
    risky: riskyFlag(['compress-program'], 'sort --compress-program runs a program'), writes: (a) => flagValues(a, 'o').map((target) => ({ target, how: 'sort -o' })) },
  uniq: { syntax: { shortValue: 'fsw', longValue: ['skip-fields', 'skip-chars', 'check-chars', 'group', 'all-repeated'] }, writes: (a) => operands(a).slice(1, 2).map((target) => ({ target, how: 'uniq OUTPUT' })) },
  xxd: { syntax: { shortValue: 'cgloOns' }, writes: (a) => operands(a).slice(1, 2).map((target) => ({ target, how: 'xxd OUTFILE' })) },
  npx: { syntax: { longValue: ['package', 'call'], aliases: { c: 'call', p: 'package' } }, risky: riskyFlag(['call'], 'npx -c runs a command line') },
  gzip: { writes: (a) => (hasFlag(a, 'c', 'stdout', 'l', 'list', 't', 'test') ? [] : each('gzip')(a)) },
  gunzip: { writes: (a) => (hasFlag(a, 'c', 'stdout', 'l', 'list', 't', 'test') ? [] : each('gunzip')(a)) },
  curl: { syntax: { shortValue: 'oXHdFuAeEKrTwxyYzbcCDmPQ', longValue: ['output', 'output-dir', 'config', 'data', 'header', 'request', 'user-agent', 'url'], aliases: { output: 'o', config: 'K' } },
    risky: riskyFlag(['K'], 'curl --config reads options from a file'), writes: (a) => [...flagValues(a, 'o').map((target) => ({ target, how: 'curl -o' })), ...flagValues(a, 'output-dir').map((target) => ({ target, how: 'curl --output-dir', folder: true }))] },
  wget: { syntax: { shortValue: 'OoPeaUTtwiB', longValue: ['output-document', 'output-file', 'directory-prefix', 'execute', 'append-output'], aliases: { 'output-document': 'O', 'output-file': 'o', 'directory-prefix': 'P', execute: 'e' } },
    risky: riskyFlag(['e', 'use-askpass'], 'wget --execute runs wgetrc commands'), writes: (a) => [...flagValues(a, 'O', 'o').map((target) => ({ target, how: 'wget -O' })), ...flagValues(a, 'P').map((target) => ({ target, how: 'wget -P', folder: true }))] },
  sed: {
    syntax: { shortValue: 'efl', longValue: ['expression', 'file', 'line-length'], aliases: { expression: 'e', file: 'f', 'in-place': 'i' } },
    opaque: (a) => {
      if (hasFlag(a, 'f')) return 'sed -f runs a script file that cannot be checked in advance';
      if (hasFlag(a, 'sandbox')) return undefined;
      const scripts = flagValues(a, 'e');
      const script = scripts.length > 0 ? scripts : operands(a).slice(0, 1);
      return script.some((s) => s.value === undefined || sedScriptRunsOrWrites(s.value)) ? 'the sed script runs commands or writes files (e, w, W commands or flags)' : undefined;
    },
    risky: riskyFlag(['i'], 'sed -i rewrites files in place'),
    writes: (a) => (hasFlag(a, 'i') ? operands(a).slice(flagValues(a, 'e').length > 0 || hasFlag(a, 'f') ? 0 : 1).map((target) => ({ target, how: 'sed -i' })) : []),
  },
  awk: { syntax: { shortValue: 'fvFeil', longValue: ['file', 'assign', 'field-separator', 'source', 'include', 'load'], aliases: { file: 'f', source: 'e', include: 'i', load: 'l' } },
    opaque: (a) => {
      if (hasFlag(a, 'f', 'i', 'l')) return 'awk loads a program file that cannot be checked in advance';
      const program = flagValues(a, 'e').concat(hasFlag(a, 'e') ? [] : operands(a).slice(0, 1));
      return program.some((p) => p.value === undefined || /system|getline|\||>|close|fflush|PROCINFO|@load|@include/.test(p.value)) ? 'the awk program can run commands or write files' : undefined;
    } },
  rg: { syntax: { shortValue: 'egtTmABCjfrMEd', longValue: ['regexp', 'glob', 'type', 'type-not', 'max-count', 'after-context', 'before-context', 'context', 'threads', 'file', 'replace', 'pre', 'pre-glob', 'hostname-bin', 'max-columns', 'encoding', 'max-depth', 'type-add', 'iglob', 'sort', 'sortr', 'colors', 'path-separator', 'engine'], aliases: { 'search-zip': 'z' } },
    risky: riskyFlag(['pre', 'hostname-bin', 'z'], 'rg --pre / --hostname-bin / --search-zip run other programs') },
  find: {
    syntax: { singleDashLong: true },
    risky: riskyFlag(['delete', 'fprint', 'fprint0', 'fprintf', 'fls'], 'find -delete / -fprint write or delete files'),
    writes: (a) => {
      const out: ProgramWrite[] = [];
      a.forEach((x, i) => {
        if (x.kind === 'flag' && /^(fprint0?|fprintf|fls)$/.test(x.name)) { const next = a[i + 1]; if (next && next.kind !== 'flag') out.push({ target: next.word, how: `find -${x.name}` }); }
      });
      if (hasFlag(a, 'delete')) {
        const starts = a.slice(0, a.findIndex((x) => x.kind === 'flag')).flatMap((x) => (x.kind === 'operand' ? [x.word] : []));
        out.push(...(starts.length > 0 ? starts : [{ value: '.', text: '.' }]).map((target) => ({ target, how: 'find -delete', folder: true })));
      }
      return out;
    },
  },
  tar: { syntax: { shortValue: 'fCIFTXbgKLNV', longValue: ['file', 'directory', 'use-compress-program', 'to-command', 'info-script', 'new-volume-script', 'rsh-command', 'rmt-command', 'checkpoint-action', 'files-from', 'exclude-from'], aliases: { 'use-compress-program': 'I', 'info-script': 'F', 'new-volume-script': 'F' } },
    risky: (a) => {
      const bad = a.find((x) => x.kind === 'flag' && (['to-command', 'I', 'F', 'rsh-command', 'rmt-command'].includes(x.name) || (x.name === 'checkpoint-action' && /exec/.test(x.value?.value ?? 'exec'))));
      return bad ? { reason: 'tar can run another program with these options', arg: bad } : undefined;
    },
    writes: (a) => (hasFlag(a, 'x', 'extract', 'get') ? [{ target: flagValues(a, 'C')[0] ?? { value: '.', text: '.' }, how: 'tar -x', folder: true }] : hasFlag(a, 'c', 'create', 'r', 'append', 'u', 'update') ? flagValues(a, 'f').map((target) => ({ target, how: 'tar -c' })) : []) },
  zip: { syntax: { shortValue: 'bnPtxi' }, risky: (a) => {
    const bad = a.find((x) => x.kind === 'flag' && (x.raw.value?.startsWith('-TT') || x.raw.value?.startsWith('--unzip-command') || x.raw.value?.startsWith('--unzip-com')));
    return bad ? { reason: 'zip -TT / --unzip-command run a program', arg: bad } : undefined;
  } },
  unzip: { syntax: { shortValue: 'dxP' }, writes: (a) => (hasFlag(a, 'l', 'v', 'Z', 't', 'p', 'c') ? [] : [{ target: flagValues(a, 'd')[0] ?? { value: '.', text: '.' }, how: 'unzip', folder: true }]) },
  patch: { syntax: { shortValue: 'ioBdDpFrVYzgsz', longValue: ['input', 'output', 'directory', 'strip', 'reject-file'], aliases: { output: 'o', directory: 'd', input: 'i' } },
    writes: (a) => [...flagValues(a, 'o').map((target) => ({ target, how: 'patch -o' })), ...(hasFlag(a, 'o', 'dry-run') ? [] : [{ target: flagValues(a, 'd')[0] ?? { value: '.', text: '.' }, how: 'patch', folder: true }])] },
  make: { subcommands: true, syntax: { shortValue: 'fCIjlWoe', longValue: ['file', 'makefile', 'directory', 'include-dir', 'jobs', 'eval', 'what-if', 'old-file', 'assume-old', 'assume-new', 'new-file'], aliases: { makefile: 'f', file: 'f', directory: 'C' } },
    risky: (a) => {
      const bad = a.find((x) => (x.kind === 'flag' && ['eval', 'f', 'E'].includes(x.name)) || (x.kind === 'operand' && /^[A-Za-z_.][A-Za-z0-9_.]*\s*[:+?!]?=/.test(x.word.value ?? '') && isRunVariable(x.word.value!.split(/[:+?!]?=/)[0].trim())));
      return bad ? { reason: 'make --eval / -f / SHELL= run other code', arg: bad } : undefined;
    } },
  rsync: { syntax: { shortValue: 'eBfT', longValue: ['rsh', 'rsync-path', 'filter', 'exclude', 'include', 'temp-dir', 'password-file', 'log-file'], aliases: { rsh: 'e' } },
    risky: riskyFlag(['e', 'rsync-path'], 'rsync -e / --rsync-path run another program'),
    writes: (a) => { const ops = operands(a); const dest = ops.at(-1); return dest && ops.length > 1 && !(dest.value ?? ':').includes(':') ? [{ target: dest, how: 'rsync', folder: true, into: ops.slice(0, -1) }] : []; } },
  ssh: { syntax: { shortValue: 'bcDEeFIiJLlmOopQRSWw' }, risky: (a) => {
    const bad = a.find((x) => x.kind === 'flag' && (x.name === 'F' || (x.name === 'o' && /proxycommand|localcommand|permitlocalcommand|knownhostscommand/i.test(x.value?.value ?? 'proxycommand'))));
    return bad ? { reason: 'ssh -o ProxyCommand / -F run other programs', arg: bad } : undefined;
  } },
  man: { syntax: { shortValue: 'PCMHSe', longValue: ['pager', 'config-file', 'html', 'manpath'], aliases: { pager: 'P', html: 'H' } }, risky: riskyFlag(['P', 'H', 'C'], 'man --pager / --html run a program') },
  vim: { risky: (a) => (a.some((x) => (x.kind === 'flag' && ['c', 'S', 'cmd'].includes(x.name)) || (x.kind === 'operand' && x.word.value?.startsWith('+'))) ? { reason: 'vim -c / +cmd run editor commands' } : undefined) },
  npm: {
    subcommands: true, syntax: { longValue: ['prefix', 'workspace', 'w', 'script-shell', 'node-options', 'userconfig', 'globalconfig', 'call'], aliases: { c: 'call' } },
    risky: (a, sub) => {
      if (['exec', 'x', 'explore', 'init', 'create', 'innit', 'edit'].includes(sub[0] ?? '')) return { reason: `npm ${sub[0]} runs a package's code` };
      return riskyFlag(['script-shell', 'node-options', 'call', 'userconfig', 'globalconfig'], 'npm --script-shell / --node-options / --call run other programs')(a);
    },
  },
  yarn: { subcommands: true, risky: (_a, sub) => (['dlx', 'exec', 'node', 'create'].includes(sub[0] ?? '') ? { reason: `yarn ${sub[0]} runs a package's code` } : undefined) },
  pnpm: { subcommands: true, risky: (_a, sub) => (['dlx', 'exec', 'create'].includes(sub[0] ?? '') ? { reason: `pnpm ${sub[0]} runs a package's code` } : undefined) },
  bun: { subcommands: true, risky: (_a, sub) => (['x', 'create'].includes(sub[0] ?? '') ? { reason: `bun ${sub[0]} runs a package's code` } : undefined) },
  cargo: { subcommands: true }, go: { subcommands: true }, docker: { subcommands: true }, kubectl: { subcommands: true },
  pip: { subcommands: true }, pip3: { subcommands: true }, poetry: { subcommands: true }, uv: { subcommands: true },
  gh: { subcommands: true }, brew: { subcommands: true }, apt: { subcommands: true }, 'apt-get': { subcommands: true },
  systemctl: { subcommands: true }, dotnet: { subcommands: true }, mvn: { subcommands: true }, gradle: { subcommands: true },
  deno: { subcommands: true }, rustup: { subcommands: true }, terraform: { subcommands: true }, helm: { subcommands: true }, az: { subcommands: true }, aws: { subcommands: true }, gcloud: { subcommands: true },
};

/** Whether a program (basename) takes a sub-command word (`git status`, `npm test`). */
export function hasSubcommands(name: string): boolean {
  return name === 'git' || PROGRAMS[name]?.subcommands === true;
}

/** Whether a program has options that run other programs (then run-time arguments are never covered). */
export function hasRiskyOptions(name: string): boolean {
  return name === 'git' || PROGRAMS[name]?.risky !== undefined || PROGRAMS[name]?.opaque !== undefined || interpreterOf(name) !== undefined;
}

/** Reads `argv` (program first, static) as the program will. */
export function viewProgram(argv: readonly ShellWord[]): ProgramView {
  const name = path.posix.basename(argv[0]?.value ?? '');
  const args = argv.slice(1);
  const unknownArgs = args.some((w) => w.value === undefined);
  if (name === 'git') return { name, unknownArgs, ...gitView(args) };
  const interp = interpreterOf(name);
  if (interp) {
    const spec = INTERPRETER_INLINE[interp];
    const parsed = readArgs(args, spec.syntax);
    const inline = parsed.find((a) => a.kind === 'flag' && spec.flags.includes(a.name));
    const ops = operands(parsed);
    return {
      name, subcommand: [], flags: new Set(parsed.flatMap((a) => (a.kind === 'flag' ? [a.name] : []))), operands: ops, unknownArgs, writes: [],
      ...(inline ? { opaque: `${name} ${inline.kind === 'flag' ? inline.raw.value : ''} runs inline code that cannot be checked` } : {}),
    };
  }
  const facts = PROGRAMS[name] ?? {};
  const subs: string[] = [];
  let rest = args;
  if (facts.subcommands) {
    const i = args.findIndex((w) => w.value === undefined || !w.value.startsWith('-'));
    if (i !== -1 && args[i].value !== undefined) { subs.push(args[i].value!); rest = [...args.slice(0, i), ...args.slice(i + 1)]; }
  }
  const parsed = readArgs(rest, facts.syntax);
  const r = facts.risky?.(parsed, subs);
  const opaque = facts.opaque?.(parsed, subs);
  // Where the risky word is (a prefix rule that spells it covers it); unknown → right after the program.
  const riskyWord = r?.arg ? (r.arg.kind === 'flag' ? r.arg.raw : r.arg.word) : undefined;
  const riskyIndex = riskyWord ? argv.indexOf(riskyWord) : r ? 1 : -1;
  return {
    name, subcommand: subs, flags: new Set(parsed.flatMap((a) => (a.kind === 'flag' ? [a.name] : []))), operands: operands(parsed), unknownArgs,
    ...(r ? { risky: { reason: r.reason, index: riskyIndex } } : {}),
    ...(opaque ? { opaque } : {}),
    writes: facts.writes?.(parsed, subs) ?? [],
  };
}
