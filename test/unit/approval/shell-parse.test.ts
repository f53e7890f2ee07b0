import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseShell } from '../../../src/core/approval/shell-parse';
import { suggestCommandRule, suggestRule } from '../../../src/core/approval/suggest-rule';
import { matchesCommand } from '../../../src/core/approval/rule-pattern';

const texts = (c: string) => parseShell(c).subcommands.map((s) => s.text);

void describe('shell analysis', () => {
  void test('splits chains, pipes, background and newlines', () => {
    assert.deepEqual(texts('a && b || c; d | e & f\ng |& h'), ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
  });
  void test('descends into substitutions, groups and process substitution', () => {
    assert.deepEqual(texts('echo $(date) `whoami` && (cd x; make) && diff <(ls a) b').sort(),
      ['cd x', 'date', "diff '<(…)' b", 'echo $(…) `…`', 'ls a', 'make', 'whoami'].sort());
  });
  void test('strips env assignments and unquotes words', () => {
    const a = parseShell(`FOO=1 BAR='x y' npm "te"st -- --grep 'a b'`);
    assert.deepEqual(a.subcommands[0].argv, ['npm', 'test', '--', '--grep', 'a b']);
    assert.equal(a.subcommands[0].text, "npm test -- --grep 'a b'");
  });
  void test('collects write targets, ignores harmless ones', () => {
    const a = parseShell('make > build.log 2>&1; echo x >> "out dir/f" 2>/dev/null; cat < in.txt; ls &> all.txt; echo y 2> err.txt');
    assert.deepEqual(a.writes.map((w) => [w.operator, w.path]), [['>', 'build.log'], ['>>', 'out dir/f'], ['&>', 'all.txt'], ['2>', 'err.txt']]);
    assert.deepEqual(a.problems, []);
  });
  void test('flags what it cannot analyse', () => {
    for (const c of ['echo "open', "echo 'open", 'cat <<EOF\nx\nEOF', 'eval ls', 'exec rm x', '$TOOL run', 'if true; then ls; fi', 'sh -c "ls"', 'echo > $OUT', 'echo $(ls']) {
      assert.ok(parseShell(c).problems.length > 0, `should flag: ${c}`);
    }
  });
  void test('suggestions stay narrow', () => {
    const sub = (c: string) => parseShell(c).subcommands[0];
    assert.equal(suggestCommandRule('run_command', sub('npm test --watch')), 'run_command(npm test:*)');
    assert.equal(suggestCommandRule('run_command', sub('git -C x status')), 'run_command(git:*)');
    assert.equal(suggestCommandRule('run_command', sub('node -e "process.exit(1)"')), 'run_command(node -e "process.exit(1)")');
    assert.equal(suggestRule({ toolName: 'run_command', kind: 'command', pendingSubcommands: [sub('a'), sub('b')] }), undefined);
    assert.equal(suggestRule({ toolName: 'edit_file', kind: 'edit', relativePath: 'src/components/x.ts' }), 'edit_file(src/components/**)');
    assert.equal(suggestRule({ toolName: 'edit_file', kind: 'edit', relativePath: undefined }), undefined);
    assert.equal(suggestRule({ toolName: 'mcp__gh__issue', kind: 'mcp' }), 'mcp__gh__issue');
  });
  void test('a suggested rule matches the command it came from', () => {
    for (const c of ['npm test --watch', 'cargo build --release', 'make', './scripts/x.sh a']) {
      const s = parseShell(c).subcommands[0];
      const rule = suggestCommandRule('run_command', s)!;
      assert.ok(matchesCommand(/^run_command\((.*)\)$/.exec(rule)![1], s), `${rule} should match ${c}`);
    }
  });
});
