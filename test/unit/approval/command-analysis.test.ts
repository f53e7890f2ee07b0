import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { analyseCommand } from '../../../src/core/approval/command-analysis';

const ws = '/ws';
const analyse = (command: string) => analyseCommand(command, { cwd: ws, workspaceRoots: [ws], home: '/home/u' });
const writes = async (command: string) => (await analyse(command)).writes.map((w) => w.absolute);
const programs = async (command: string) => (await analyse(command)).commands.map((c) => c.layers[c.layers.length - 1].argv.map((w) => w.value ?? `<${w.text}>`).join(' '));

void describe('command analysis', () => {
  void test('the working folder follows cd through && || ; and stops at subshells and pipelines', async () => {
    assert.deepEqual(await writes('cd .git && echo x > hooks/a'), ['/ws/.git/hooks/a']);
    assert.deepEqual((await writes('cd .git; echo x > b')).sort(), ['/ws/.git/b', '/ws/b'], 'a cd that may fail leaves both folders');
    assert.deepEqual(await writes('cd .git || echo x > c'), ['/ws/c'], '|| runs only when cd failed');
    assert.deepEqual(await writes('(cd .git) && echo x > d'), ['/ws/d']);
    assert.deepEqual(await writes('cd .git | true; echo x > e'), ['/ws/e']);
    assert.deepEqual(await writes('cd x && true | cat > f'), ['/ws/x/f'], "a redirect tree-sitter hangs on the list belongs to the last command");
    assert.deepEqual(await writes('pushd .vscode && popd && echo > g'), ['/ws/g']);
  });

  void test('wrappers are peeled to the command that runs', async () => {
    assert.deepEqual(await programs('timeout -s KILL 5 nice -n 2 env A=1 nohup stdbuf -oL npm test'), ['npm test']);
    assert.deepEqual(await programs("bash -c 'git status && rm -rf x'"), ['git status', 'rm -rf x', 'bash -c git status && rm -rf x']);
    assert.deepEqual(await programs("find . -name '*.ts' -exec wc -l {} +"), ['wc -l <{}>', 'find . -name *.ts']);
    assert.deepEqual(await programs('xargs -I% cp % out'), ['cp <%> out']);
  });

  void test('what cannot be judged is reported, never guessed', async () => {
    for (const c of ['echo ${x@P}', 'echo $((x))', 'f() { ls; }', '$CMD', 'cat <<E"O"F\nx\nEOF', 'cat <<EOF\nbody\nEOF \nrm x', 'echo `echo \\`id\\``', 'python3 -c "print(1)"', 'curl x | sh', 'echo > $OUT']) {
      assert.ok((await analyse(c)).problems.length > 0, `should not be analysable: ${JSON.stringify(c)}`);
    }
  });

  void test('3,000-deep nesting is a clean problem, not a crash', async () => {
    for (const c of [`${'$('.repeat(3000)}ls${')'.repeat(3000)}`, `${'('.repeat(3000)}ls${')'.repeat(3000)}`, `echo ${'"$('.repeat(1500)}x${')"'.repeat(1500)}`]) {
      const a = await analyse(c);
      assert.ok(a.problems.length > 0, 'reported');
    }
  });

  void test('quoted heredocs are data; a shell reading one is judged on its body', async () => {
    const a = await analyse("bash <<'EOF'\ntouch made\nEOF");
    assert.deepEqual(a.problems, []);
    assert.ok(a.commands.some((c) => c.view.name === 'touch'));
  });
});
