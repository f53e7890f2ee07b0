/**
 * Environment variables that change what a command runs or which configuration it reads: a
 * command with one of these in its environment prefix matches only a rule written with it.
 * Everything else (`FOO=1`, `NODE_ENV=test`, `CI=1`, `DEBUG=x`) is ignored by rule matching.
 */

const EXACT = new Set([
  'PATH', 'HOME', 'ENV', 'BASH_ENV', 'SHELLOPTS', 'BASHOPTS', 'IFS', 'CDPATH', 'PS4', 'PROMPT_COMMAND', 'GLOBIGNORE',
  'ZDOTDIR', 'SHELL', 'PAGER', 'MANPAGER', 'EDITOR', 'VISUAL', 'BROWSER', 'TERMINFO', 'HOSTALIASES', 'TMPDIR',
  'CC', 'CXX', 'LD', 'AR', 'CPP', 'CFLAGS', 'CXXFLAGS', 'LDFLAGS', 'RUSTFLAGS', 'RUSTC', 'RUSTC_WRAPPER', 'GOFLAGS',
  'CLASSPATH', 'JAVA_HOME', 'GCONV_PATH', 'LOCPATH', 'NLSPATH', 'ELECTRON_RUN_AS_NODE', 'MAKEFLAGS', 'MFLAGS',
]);
const PREFIXES = ['LD_', 'DYLD_', 'GIT_', 'NPM_CONFIG_', 'YARN_', 'PNPM_', 'BUN_', 'PYTHON', 'PERL', 'RUBY', 'GEM_', 'BUNDLE_',
  'NODE_', 'DENO_', 'BASH_FUNC_', 'LESS', 'XDG_', 'SSH_', 'SUDO_', 'JAVA_', 'JDK_', '_JAVA', 'MAVEN_', 'GRADLE_', 'CARGO_', 'RUSTUP_',
  'GO', 'DOTNET_', 'COMPLUS_', 'CORECLR_', 'PIP_', 'UV_', 'CONDA', 'VIRTUAL_ENV', 'DOCKER_', 'KUBECONFIG', 'AWS_', 'MAKE'];
const SUFFIXES = ['_OPTIONS', '_OPTS', 'PATH', '_PRELOAD', '_LIBRARY', '_LIB', 'LIBS', '_CONFIG', '_CONFIG_FILE', 'RC', '_HOME', 'PAGER', 'EDITOR', 'SHELL', '_COMMAND', '_CMD', '_PROGRAM', 'WRAPPER'];
/** Common, harmless exceptions to the prefixes above. */
const HARMLESS = new Set(['NODE_ENV', 'NODE_NO_WARNINGS', 'NODE_DEBUG', 'GIT_TERMINAL_PROMPT', 'GIT_PAGER_IN_USE', 'PYTHONUNBUFFERED', 'PYTHONDONTWRITEBYTECODE', 'PYTHONHASHSEED', 'PYTHONIOENCODING', 'PYTHONWARNINGS', 'GOOS', 'GOARCH', 'GOMAXPROCS', 'CARGO_TERM_COLOR', 'CARGO_INCREMENTAL']);

/** True when assigning `name` can change which program runs or what it loads. */
export function changesWhatRuns(name: string): boolean {
  if (HARMLESS.has(name)) return false;
  const upper = name.toUpperCase();
  return EXACT.has(upper) || PREFIXES.some((p) => upper.startsWith(p)) || SUFFIXES.some((s) => upper.endsWith(s));
}
