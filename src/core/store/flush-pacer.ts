/**
 * Keeps the store's flush promise: an appended event is written and fdatasync'ed within
 * `intervalMs` of its append. A timer set to the full interval from the first unflushed append
 * breaks it by however long the timer fires late, the write waits for an earlier fdatasync, and
 * the write + fdatasync itself take (the audit measured 137 ms against 100). So the timed flush
 * starts `lead` ms before the deadline: a fixed share of the interval plus the worst overrun of
 * the recent timed flushes (late firing + waiting + writing + syncing), capped at half the
 * interval so batching still saves fdatasyncs.
 */
export class FlushPacer {
  private readonly overruns: number[] = [];
  private next = 0;

  /** `window`: how many recent timed flushes the lead looks at. */
  constructor(private readonly intervalMs: number, private readonly window = 16) {}

  /** Ms from the first unflushed append to the start of its flush. */
  delay(): number {
    let worst = 0;
    for (const o of this.overruns) worst = Math.max(worst, o);
    const lead = Math.min(this.intervalMs * 0.5, this.intervalMs * 0.3 + worst);
    return Math.max(1, Math.round(this.intervalMs - lead));
  }

  /** A timed flush that was due at `dueAt` finished at `doneAt` (performance.now() ms). */
  record(dueAt: number, doneAt: number): void {
    const overrun = Math.max(0, doneAt - dueAt);
    if (this.overruns.length < this.window) this.overruns.push(overrun);
    else this.overruns[this.next] = overrun;
    this.next = (this.next + 1) % this.window;
  }
}
