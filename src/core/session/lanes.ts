/**
 * The lanes of one assistant message's tool calls: read-only calls run at the same time, every
 * other call alone and in call order (a read after an edit sees the edit), and results are
 * recorded in call order whatever order they finish in, so the history sent to the model is in
 * the order the model asked.
 */

/**
 * How a call may overlap with its neighbours in the message:
 * `read` — with the read-only calls next to it; `children` — spawn_session calls next to each
 * other (the children work concurrently); `serial` — alone (edits, commands, anything not known read-only).
 */
export type Lane = 'read' | 'children' | 'serial';

/** One call to schedule. */
export interface LaneTask<R> {
  lane: Lane;
  /** Runs the call and resolves with what `record` records; rejects only when the call cannot end (cancel). */
  run(): Promise<R>;
}

/** Consecutive tasks of one concurrent lane form a group; a serial task is a group of its own. */
export function laneGroups<T extends { lane: Lane }>(tasks: readonly T[]): T[][] {
  const groups: T[][] = [];
  for (const t of tasks) {
    const last = groups[groups.length - 1];
    if (last && t.lane !== 'serial' && last[0].lane === t.lane) last.push(t);
    else groups.push([t]);
  }
  return groups;
}

/**
 * Runs `tasks` group by group: every task of a group starts at once, the next group starts once
 * the whole group is recorded. `record` is called in task order, each as soon as every task before
 * it is recorded. A task that rejects is not recorded; the rest of its group still runs to its end
 * and is recorded, then the first rejection (of a task or of `record`) is thrown and no later group starts.
 */
export async function runByLane<R>(tasks: readonly LaneTask<R>[], record: (result: R) => void): Promise<void> {
  for (const group of laneGroups(tasks)) {
    const runs = group.map((t) => t.run());
    let failure: { reason: unknown } | undefined;
    let recording = true;
    for (const run of runs) {
      let result: R;
      try {
        result = await run;
      } catch (e) {
        failure ??= { reason: e };
        continue; // the others of the group are still recorded
      }
      if (!recording) continue; // still waited for: nothing of the group is left running
      try {
        record(result);
      } catch (e) {
        failure ??= { reason: e };
        recording = false; // the recorder refused (the turn is gone): later results would be refused too
      }
    }
    if (failure) throw failure.reason;
  }
}

/** Runs async sections one at a time, in the order they asked (one approval card at a time). */
export class OneAtATime {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `section` after every section asked for before it has settled. */
  run<T>(section: () => Promise<T>): Promise<T> {
    const next = this.tail.then(section, section);
    this.tail = next.catch(() => undefined); // a failed section must not block the next; its caller sees the failure
    return next;
  }
}
