/**
 * More programs that run their arguments as a command. Those modelled here are peeled like the
 * wrappers in unwrap.ts (the inner command is judged, so a deny rule on it holds); those not
 * modelled (debuggers, tracers, `ssh`, `chroot`, `script -c` …) make the command not analysable
 * instead of passing as an ordinary program with harmless-looking arguments.
 */
import type { ShellWord } from './model';

/** Skips a wrapper's options from `from`: the operand index, or a problem for an unknown option. */
export type SkipOptions = (argv: readonly ShellWord[], from: number, withValue: readonly string[], flags: readonly string[]) => number | string;

/** Runs their arguments (or a string) as a command; not unwrapped: such a command is never judged as harmless. */
const UNMODELLED = new Set([
  'strace', 'ltrace', 'valgrind', 'gdb', 'lldb', 'perf', 'script', 'expect', 'parallel', 'ssh', 'nsenter', 'chroot',
  'unshare', 'firejail', 'bwrap', 'proot', 'fakeroot', 'faketime', 'torsocks', 'proxychains', 'proxychains4', 'rlwrap',
  'numactl', 'prlimit', 'cpulimit', 'trickle', 'xvfb-run', 'systemd-run', 'dbus-run-session', 'sg', 'newgrp',
  'flatpak-spawn', 'distrobox-enter', 'tmux', 'screen', 'daemonize', 'start-stop-daemon', 'at', 'batch', 'catchsegv',
  'entr', 'env-cmd', 'dotenv', 'op', 'doppler', 'aws-vault', 'chpst', 'setpriv', 'capsh', 'sudoedit', 'pkexec',
]);

/** `tool run|exec CMD …`: package and environment managers that run any command inside their environment. */
const EXECUTORS: Record<string, { sub: string[]; withValue: string[]; flags: string[]; takesDir?: boolean }> = {
  uv: { sub: ['run'], withValue: ['--with', '--python', '-p', '--project', '--directory', '--package', '--env-file', '--extra', '--group', '--index'], flags: ['--no-project', '--frozen', '--locked', '--isolated', '--no-sync', '-q', '--quiet', '-v', '--all-extras', '--no-dev'] },
  poetry: { sub: ['run'], withValue: [], flags: [] },
  pipenv: { sub: ['run'], withValue: [], flags: [] },
  pdm: { sub: ['run'], withValue: [], flags: [] },
  rye: { sub: ['run'], withValue: [], flags: [] },
  conda: { sub: ['run'], withValue: ['-n', '--name', '-p', '--prefix', '--cwd'], flags: ['--no-capture-output', '--live-stream'] },
  mamba: { sub: ['run'], withValue: ['-n', '--name', '-p', '--prefix', '--cwd'], flags: ['--no-capture-output', '--live-stream'] },
  micromamba: { sub: ['run'], withValue: ['-n', '--name', '-p', '--prefix', '--cwd'], flags: [] },
  bundle: { sub: ['exec'], withValue: [], flags: [] },
  mise: { sub: ['exec', 'x'], withValue: [], flags: [] },
  direnv: { sub: ['exec'], withValue: [], flags: [], takesDir: true },
  pnpm: { sub: ['exec'], withValue: ['-C', '--dir', '--filter'], flags: ['-r', '--recursive', '--parallel'] },
  yarn: { sub: ['exec'], withValue: [], flags: [] },
};

/**
 * The index of the command a runner runs, a problem, or undefined when `argv` is not a runner.
 * `mise exec` needs its tool list ended by `--`; `direnv exec DIR CMD` skips the folder.
 */
export function runnerStart(name: string, argv: readonly ShellWord[], skip: SkipOptions): number | string | undefined {
  if (UNMODELLED.has(name)) return `${name} runs its arguments as a command, which is not unwrapped here`;
  switch (name) {
    case 'chrt': {
      const at = skip(argv, 1, [], ['-a', '--all-tasks', '-b', '--batch', '-d', '--deadline', '-f', '--fifo', '-i', '--idle', '-o', '--other', '-r', '--rr', '-R', '--reset-on-fork', '-v', '--verbose']);
      return typeof at === 'string' ? at : at + 1; // the priority
    }
    case 'taskset': {
      const at = skip(argv, 1, [], ['-a', '--all-tasks', '-c', '--cpu-list']);
      return typeof at === 'string' ? at : at + 1; // the mask or list
    }
    case 'unbuffer': return skip(argv, 1, [], ['-p']);
    case 'caffeinate': return skip(argv, 1, ['-t', '-w'], ['-d', '-i', '-m', '-s', '-u']);
  }
  const ex = EXECUTORS[name];
  if (!ex || !ex.sub.includes(argv[1]?.value ?? '')) return undefined;
  if (name === 'mise') {
    const dashes = argv.findIndex((w, k) => k > 1 && w.value === '--');
    return dashes === -1 ? 'mise exec without "--" before the command' : dashes + 1;
  }
  const at = skip(argv, 2, ex.withValue, ex.flags);
  return typeof at === 'string' || !ex.takesDir ? at : at + 1;
}
