/** VS Code's lifecycle idioms, in our own small implementation (core cannot import vscode). */
export interface IDisposable {
  dispose(): void;
}

export function toDisposable(fn: () => void): IDisposable {
  let done = false;
  return { dispose: () => { if (!done) { done = true; fn(); } } };
}

/** Owns a set of disposables and releases them all once. */
export class DisposableStore implements IDisposable {
  private readonly items = new Set<IDisposable>();
  private disposed = false;

  add<T extends IDisposable>(item: T): T {
    if (this.disposed) item.dispose();
    else this.items.add(item);
    return item;
  }

  delete(item: IDisposable): void {
    this.items.delete(item);
    item.dispose();
  }

  clear(): void {
    const errors: unknown[] = [];
    for (const item of this.items) {
      try { item.dispose(); } catch (e) { errors.push(e); }
    }
    this.items.clear();
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, 'Several disposables failed');
  }

  get isDisposed(): boolean { return this.disposed; }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.clear();
  }
}

/** Base class: register children with `_register`; they are released with the owner. */
export abstract class Disposable implements IDisposable {
  protected readonly _store = new DisposableStore();

  protected _register<T extends IDisposable>(item: T): T {
    return this._store.add(item);
  }

  dispose(): void {
    this._store.dispose();
  }
}
