/** ChangesModel: what the Source Control view, the CodeLens and comments read, kept fresh from the manager's events. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AgentError } from '../../../src/core/base/errors';
import type { ChangedFileDetail, ChangesApi } from '../../../src/core/changes/types';
import { nullLogger } from '../../../src/core/ports';
import type { SessionIndexEntry } from '../../../src/core/store/types';
import { ChangesModel } from '../../../src/vscode/changes/changes-model';
import { FakeManager } from './fakes';

/** The ledger's `list` over rows a test sets; the review methods are not used here. */
class FakeLedger implements Partial<ChangesApi> {
  readonly rows = new Map<string, ChangedFileDetail[]>();
  failing = new Map<string, AgentError>();
  reads: string[] = [];
  async list(sessionId: string, options?: { includeChildren?: boolean }): Promise<ChangedFileDetail[]> {
    this.reads.push(sessionId);
    const failure = this.failing.get(sessionId);
    if (failure) throw failure;
    const own = this.rows.get(sessionId) ?? [];
    if (!options?.includeChildren) return own;
    return [...own, ...[...this.rows.entries()].filter(([id]) => id !== sessionId).flatMap(([, r]) => r.filter((x) => x.childTitle !== undefined && this.parentOf(x.sessionId) === sessionId))];
  }
  parents = new Map<string, string>();
  private parentOf(id: string): string | undefined { return this.parents.get(id); }
}

class Manager extends FakeManager {
  readonly parents = new Map<string, string>();
  readonly counts = new Map<string, number>();
  /** Sessions whose log is not opened: `get` knows nothing of them (the real manager's behaviour). */
  readonly closed = new Set<string>();
  override get(id: string) { return this.closed.has(id) ? undefined : super.get(id); }
  override list(): SessionIndexEntry[] {
    return super.list().map((e) => ({
      ...e, ...(this.parents.has(e.id) ? { parentId: this.parents.get(e.id)! } : {}),
      ...(this.counts.has(e.id) ? { changedFiles: this.counts.get(e.id)! } : {}),
    }));
  }
}

function changed(sessionId: string, path: string, over: Partial<ChangedFileDetail> = {}): ChangedFileDetail {
  return {
    path, label: path.slice(1), kind: 'modified', sessionId,
    baseline: { state: 'file', hash: 'b', size: 1, stored: true }, current: { state: 'file', hash: 'c', size: 1, stored: true },
    firstSeq: 2, lastSeq: 2, restorable: true, ...over,
  };
}

function setup() {
  const manager = new Manager();
  const ledger = new FakeLedger();
  const model = new ChangesModel(manager, ledger as unknown as ChangesApi, nullLogger, 1);
  const changes: string[][] = [];
  model.onDidChange((ids) => changes.push(ids));
  const next = () => new Promise<string[]>((resolve) => { const d = model.onDidChange((ids) => { d.dispose(); resolve(ids); }); });
  return { manager, ledger, model, changes, next };
}

const fileChanged = (path: string) => ({
  type: 'file.changed' as const, changeId: 'c1', path, label: path.slice(1), kind: 'modified' as const,
  before: { state: 'absent' as const }, after: { state: 'absent' as const }, source: 'tool' as const,
});

void describe('ChangesModel', { timeout: 10_000 }, () => {
  void test('start reads only the sessions that have changes (opened: the snapshot says; else the index row)', async () => {
    const { manager, ledger, model } = setup();
    manager.add('a', 'Alpha'); manager.add('b', 'Bravo'); manager.add('c', 'Charlie'); manager.add('d', 'Delta');
    manager.sessions.get('a')!.snapshot.changes = [changed('a', '/ws/a.ts')];
    manager.closed.add('b'); manager.counts.set('b', 1);
    // Delta is opened and everything was kept since its index row was written.
    manager.counts.set('d', 2);
    ledger.rows.set('a', [changed('a', '/ws/a.ts')]);
    ledger.rows.set('b', [changed('b', '/ws/b.ts')]);
    await model.start();
    assert.deepEqual(ledger.reads.sort(), ['a', 'b'], 'Charlie and Delta (no changes) are not read');
    assert.deepEqual(model.all().map((s) => [s.sessionId, s.title, s.rows.map((r) => r.path)]), [['a', 'Alpha', ['/ws/a.ts']], ['b', 'Bravo', ['/ws/b.ts']]]);
    assert.deepEqual(model.rowsFor('/ws/b.ts').map((r) => r.root.sessionId), ['b']);
    assert.deepEqual(model.rowsFor('/ws/none.ts'), []);
  });

  void test('a file.changed reads that session again (a burst once); a session that has none any more leaves', async () => {
    const { manager, ledger, model, next } = setup();
    manager.add('a', 'Alpha');
    await model.start();
    assert.equal(model.all().length, 0);
    ledger.rows.set('a', [changed('a', '/ws/x.ts')]);
    const first = next();
    manager.emit('a', fileChanged('/ws/x.ts'));
    manager.emit('a', fileChanged('/ws/x.ts'));
    assert.deepEqual(await first, ['a']);
    assert.deepEqual(ledger.reads, ['a'], 'two events, one read');
    assert.deepEqual(model.get('a')?.rows.map((r) => r.path), ['/ws/x.ts']);
    ledger.rows.set('a', []);
    const gone = next();
    manager.emit('a', { type: 'changes.kept', path: '/ws/x.ts', baseline: { state: 'absent' } });
    assert.deepEqual(await gone, ['a']);
    assert.equal(model.get('a'), undefined);
  });

  void test('a child\'s change rolls up into its parent\'s view (the child has none of its own)', async () => {
    const { manager, ledger, model, next } = setup();
    manager.add('p', 'Parent'); manager.add('k', 'Kid');
    manager.parents.set('k', 'p'); ledger.parents.set('k', 'p');
    ledger.rows.set('k', [changed('k', '/ws/kid.ts', { childTitle: 'Kid' })]);
    const ready = next();
    manager.emit('k', fileChanged('/ws/kid.ts'));
    assert.deepEqual(await ready, ['p']);
    assert.equal(model.get('k'), undefined);
    assert.equal(model.rootOf('k'), 'p');
    assert.deepEqual(model.rowsFor('/ws/kid.ts').map((r) => [r.root.sessionId, r.row.sessionId]), [['p', 'k']]);
  });

  void test('rename updates the title; a deleted session leaves on reconcile', async () => {
    const { manager, ledger, model, next } = setup();
    manager.add('a', 'Alpha');
    manager.closed.add('a'); manager.counts.set('a', 1);
    ledger.rows.set('a', [changed('a', '/ws/a.ts')]);
    await model.start();
    await manager.rename('a', 'Alpha 2');
    const renamed = next();
    manager.emit('a', { type: 'session.renamed', title: 'Alpha 2' });
    await renamed;
    assert.equal(model.get('a')?.title, 'Alpha 2');
    await manager.delete('a');
    model.reconcile();
    assert.equal(model.get('a'), undefined);
  });

  void test('a list refused while a turn runs keeps what is shown and is read again when the turn ends', async () => {
    const { manager, ledger, model, next } = setup();
    manager.add('a', 'Alpha');
    ledger.rows.set('a', [changed('a', '/ws/a.ts')]);
    await model.refresh('a');
    ledger.failing.set('a', new AgentError('invalid_state', 'a turn is running'));
    ledger.rows.set('a', [changed('a', '/ws/a.ts'), changed('a', '/ws/b.ts')]);
    await model.refresh('a');
    assert.deepEqual(model.get('a')?.rows.map((r) => r.path), ['/ws/a.ts']);
    ledger.failing.delete('a');
    const after = next();
    manager.emit('a', { type: 'turn.completed', turnId: 't1', stopReason: 'end_turn', rounds: 1 });
    await after;
    assert.deepEqual(model.get('a')?.rows.map((r) => r.path), ['/ws/a.ts', '/ws/b.ts']);
  });

  void test('a list that fails keeps what is shown; not_found (deleted meanwhile) drops it', async () => {
    const { manager, ledger, model } = setup();
    manager.add('a', 'Alpha');
    ledger.rows.set('a', [changed('a', '/ws/a.ts')]);
    await model.refresh('a');
    ledger.failing.set('a', new AgentError('storage', 'disk went away'));
    await model.refresh('a');
    assert.deepEqual(model.get('a')?.rows.map((r) => r.path), ['/ws/a.ts']);
    ledger.failing.set('a', new AgentError('not_found', 'no such session'));
    await model.refresh('a');
    assert.equal(model.get('a'), undefined);
  });
});
