/**
 * A value created on first use and released with its owner: the composition root's pieces (the
 * session manager, the router, host services…) cost nothing at activation.
 */
import type { DisposableStore, IDisposable } from '../../core/base/disposable';

export interface Lazy<T> {
  /** The value, created on the first call. */
  (): T;
  /** The value if it was created, without creating it. */
  readonly peek: T | undefined;
}

/** `create` runs once, on the first call; a disposable value is registered with `owner` then. */
export function lazy<T>(create: () => T, owner?: DisposableStore): Lazy<T> {
  let created = false;
  let value: T | undefined;
  const get = (): T => {
    if (!created) {
      value = create();
      created = true;
      if (owner && isDisposable(value)) owner.add(value);
    }
    return value as T;
  };
  Object.defineProperty(get, 'peek', { get: () => value });
  return get as Lazy<T>;
}

function isDisposable(v: unknown): v is IDisposable {
  return typeof v === 'object' && v !== null && typeof (v as { dispose?: unknown }).dispose === 'function';
}
