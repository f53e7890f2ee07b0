/**
 * The session is the only author of its events (issue 12). Reads every source file under
 * src/core and fails when a file other than the session's own records an event: a call of the
 * recording path (`.emit(…)`, `.emitFor(…)`), a call of `closeTurnEvents` (its bodies exist to be
 * recorded), or an object literal whose `type` is a session event type. The event types are read
 * from src/shared/events.ts, so a new event is covered without touching this test.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';

const root = join(import.meta.dirname, '..', '..', '..');
const core = join(root, 'src', 'core');

/** The session's own files: Session (session.ts) and the recorders it alone constructs (a turn's, and the change ledger's). */
const AUTHORS = new Set(['src/core/session/session.ts', 'src/core/session/turn-recorder.ts', 'src/core/session/change-recorder.ts', 'src/core/session/worktree-recorder.ts']);
/** Builds event bodies only inside these functions (the fold's closing events of a turn), recorded by the authors. */
const BUILDERS: Record<string, ReadonlySet<string>> = { 'src/core/session/reducer.ts': new Set(['closeTurnEvents']) };

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [full] : [];
  });
}

const parse = (file: string): ts.SourceFile => ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
const rel = (file: string): string => relative(root, file).split(sep).join('/');

/** Every `type: '…'` of the SessionEventBody union in src/shared/events.ts. */
function eventTypes(): Set<string> {
  const types = new Set<string>();
  const visit = (n: ts.Node): void => {
    if (ts.isTypeAliasDeclaration(n) && n.name.text === 'SessionEventBody') {
      const members = (t: ts.Node): void => {
        if (ts.isPropertySignature(t) && t.name.getText() === 'type' && t.type && ts.isLiteralTypeNode(t.type) && ts.isStringLiteral(t.type.literal)) {
          types.add(t.type.literal.text);
        }
        ts.forEachChild(t, members);
      };
      members(n.type);
    }
    ts.forEachChild(n, visit);
  };
  visit(parse(join(root, 'src', 'shared', 'events.ts')));
  return types;
}

const unwrap = (e: ts.Expression): ts.Expression =>
  ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isParenthesizedExpression(e) || ts.isTypeAssertionExpression(e) ? unwrap(e.expression) : e;

/** The name of the function (declaration, method or variable-bound arrow) `n` is in, outermost last. */
function enclosingNames(n: ts.Node): string[] {
  const names: string[] = [];
  for (let p: ts.Node | undefined = n.parent; p; p = p.parent) {
    if ((ts.isFunctionDeclaration(p) || ts.isMethodDeclaration(p)) && p.name) names.push(p.name.getText());
    if (ts.isVariableDeclaration(p) && p.initializer && (ts.isArrowFunction(p.initializer) || ts.isFunctionExpression(p.initializer))) names.push(p.name.getText());
  }
  return names;
}

/** Where `file` records or builds an event, as "path:line: what". */
function findings(file: ts.SourceFile, types: ReadonlySet<string>): string[] {
  const path = rel(file.fileName);
  if (AUTHORS.has(path)) return [];
  const allowedIn = BUILDERS[path];
  const out: string[] = [];
  const at = (n: ts.Node, what: string): void => {
    out.push(`${path}:${file.getLineAndCharacterOfPosition(n.getStart()).line + 1}: ${what}`);
  };
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n)) {
      const callee = n.expression;
      if (ts.isPropertyAccessExpression(callee) && (callee.name.text === 'emit' || callee.name.text === 'emitFor')) at(n, `records an event (${callee.getText()}(…))`);
      if (ts.isIdentifier(callee) && callee.text === 'closeTurnEvents' && !allowedIn) at(n, 'builds the closing events of a turn (closeTurnEvents)');
    }
    if (ts.isObjectLiteralExpression(n)) {
      for (const p of n.properties) {
        if (!ts.isPropertyAssignment(p) || p.name.getText() !== 'type') continue;
        const value = unwrap(p.initializer);
        if (!ts.isStringLiteral(value) || !types.has(value.text)) continue;
        if (allowedIn && enclosingNames(n).some((name) => allowedIn.has(name))) continue;
        at(n, `builds a '${value.text}' event`);
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(file);
  return out;
}

void describe('the session is the only author of its events', () => {
  const types = eventTypes();

  void test('the event types are read from src/shared/events.ts', () => {
    // A parse that found nothing would make the check below pass vacuously.
    for (const t of ['session.created', 'message.delta', 'tool.completed', 'warning', 'session.detached']) assert.ok(types.has(t), t);
  });

  void test('no file under src/core other than the session and its turn recorder records or builds an event', () => {
    const found = sourceFiles(core).flatMap((f) => findings(parse(f), types));
    assert.deepEqual(found, [], `Record events through Session's intent methods (session.ts / turn-recorder.ts) instead:\n${found.join('\n')}`);
  });

  void test('Session.emit is private', () => {
    const file = parse(join(core, 'session', 'session.ts'));
    let emit: ts.MethodDeclaration | undefined;
    const visit = (n: ts.Node): void => {
      if (ts.isClassDeclaration(n) && n.name?.text === 'Session') {
        for (const m of n.members) if (ts.isMethodDeclaration(m) && m.name.getText() === 'emit') emit = m;
      }
      ts.forEachChild(n, visit);
    };
    visit(file);
    assert.ok(emit, 'Session has an emit method (the one place events are recorded)');
    assert.ok(emit.modifiers?.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword), 'Session.emit is private');
  });

  void test('the check finds a recording call and an event literal outside the session (it is not vacuous)', () => {
    const probe = ts.createSourceFile(join(core, 'session', 'probe.ts'), [
      "session.emit({ type: 'warning', code: 'x', message: 'y' });",
      "const body = { type: 'tool.output' as const, callId: 'c', chunk: '' };",
      "const part = { type: 'text', text: 'not an event' };",
    ].join('\n'), ts.ScriptTarget.Latest, true);
    const found = findings(probe, types);
    assert.equal(found.length, 3, found.join('\n'));
    assert.match(found.join('\n'), /emit\(…\)/);
    assert.match(found.join('\n'), /'tool\.output' event/);
  });
});
