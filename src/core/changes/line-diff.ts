/**
 * A line diff for the Changes view, chosen so that per-hunk Undo and Keep are stable: undoing (or
 * keeping) one hunk and diffing again gives the other hunks unchanged. Any shortest diff would do
 * for showing a file, but shortest diffs tie, and an arbitrary pick (Myers' bisection, say) can
 * regroup the remaining changes once one is undone, so the hunk the user clicks next is not the
 * one they saw. This diff is the canonical one: walking both files from the top, equal lines are
 * matched whenever they can be, and an unequal line is taken as removed rather than added whenever
 * that still leads to a shortest diff (the choice of the classic LCS table walk, as in
 * tools/diff.ts, which is O(N·M)).
 *
 * It is computed in O((N+M)·D) time: Myers' greedy search run backwards from the files' ends gives,
 * for every number of edits d, how far back each diagonal can be reached with d edits; that answers
 * "is a shortest diff still possible from here" in O(1) during the walk. A file edited in a few
 * places far apart costs time proportional to its length. The search keeps O(D²) numbers, so it
 * is bounded (edits and work); past the bounds the changed middle is one replacement: a correct
 * diff, only coarse. Pure.
 */

/** One changed region: lines [aStart, aEnd) of `a` became lines [bStart, bEnd) of `b`. */
export interface LineChange {
  aStart: number;
  aEnd: number;
  bStart: number;
  bEnd: number;
}

/** Most edits searched for (the search keeps (D+1)² numbers: 16 MB at this bound). */
const MAX_EDITS = 2_000;
/** Most steps (diagonals tried and lines compared) one diff may spend. */
const WORK_BUDGET = 30_000_000;

/** Lines as small integers (equal lines, equal numbers), so comparisons are cheap. */
function intern(a: readonly string[], b: readonly string[]): [Int32Array, Int32Array] {
  const ids = new Map<string, number>();
  const of = (lines: readonly string[]): Int32Array => {
    const out = new Int32Array(lines.length);
    for (let i = 0; i < lines.length; i++) {
      let id = ids.get(lines[i]);
      if (id === undefined) { id = ids.size; ids.set(lines[i], id); }
      out[i] = id;
    }
    return out;
  };
  return [of(a), of(b)];
}

/**
 * Myers' search from the ends of `a` and `b`, in reversed coordinates (u lines from the end of
 * `a`, v from the end of `b`, diagonal k = u − v). Row d holds, for each diagonal, the furthest u
 * reachable with at most d edits (−1: none). Along a diagonal the number of edits to the end
 * never decreases, so every point of a diagonal up to that u is within d edits of the end.
 */
class ReverseReach {
  /** Row d starts at d² and has 2d + 1 entries (k = −d … d). */
  private rows = new Int32Array(1024);
  /** Edits of a shortest diff; undefined when a bound was hit. */
  readonly edits: number | undefined;

  constructor(private readonly a: Int32Array, private readonly b: Int32Array) {
    this.edits = this.search();
  }

  private at(d: number, k: number): number {
    return d < 0 || k < -d || k > d ? -1 : this.rows[d * d + k + d];
  }

  private search(): number | undefined {
    const { a, b } = this;
    const n = a.length;
    const m = b.length;
    let work = 0;
    for (let d = 0; d <= MAX_EDITS; d++) {
      const need = (d + 1) * (d + 1);
      if (need > this.rows.length) {
        const grown = new Int32Array(Math.min(Math.max(need, this.rows.length * 2), (MAX_EDITS + 1) * (MAX_EDITS + 1)));
        grown.set(this.rows);
        this.rows = grown;
      }
      for (let k = -d; k <= d; k += 2) {
        let u = -1;
        if (k >= -m && k <= n) {
          u = d === 0 ? 0 : this.at(d - 2, k);
          const down = this.at(d - 1, k + 1); // one more line of b
          if (down >= 0 && down - k <= m && down > u) u = down;
          const right = this.at(d - 1, k - 1); // one more line of a
          if (right >= 0 && right + 1 <= n && right + 1 > u) u = right + 1;
          if (u >= 0) {
            let v = u - k;
            while (u < n && v < m && a[n - 1 - u] === b[m - 1 - v]) { u++; v++; work++; }
            if (u === n && v === m) return d;
          }
        }
        this.rows[d * d + k + d] = u;
        if (++work > WORK_BUDGET) return undefined;
      }
    }
    return undefined;
  }

  /** Whether lines a[x..], b[y..] have a diff of at most `d` edits. */
  within(d: number, x: number, y: number): boolean {
    const u = this.a.length - x;
    const k = u - (this.b.length - y);
    if (u === 0 && k === 0) return d >= 0;
    return ((d - k) & 1) === 0 && this.at(d, k) >= u;
  }
}

/** Collects changes, merging one into the previous when no unchanged line lies between them. */
function pushChange(changes: LineChange[], aStart: number, aEnd: number, bStart: number, bEnd: number): void {
  const last = changes.at(-1);
  if (last && last.aEnd === aStart && last.bEnd === bStart) { last.aEnd = aEnd; last.bEnd = bEnd; return; }
  changes.push({ aStart, aEnd, bStart, bEnd });
}

/** Past the bounds: what lies between the common prefix and suffix is one replacement. */
function oneReplacement(a: Int32Array, b: Int32Array): LineChange[] {
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  return [{ aStart: pre, aEnd: a.length - suf, bStart: pre, bEnd: b.length - suf }];
}

/**
 * The changed regions from `a` to `b`, in order (the canonical shortest diff described above);
 * regions with no unchanged line between them are one region. Empty when the two are equal.
 */
export function diffLineArrays(a: readonly string[], b: readonly string[]): LineChange[] {
  const [ia, ib] = intern(a, b);
  const n = ia.length;
  const m = ib.length;
  const reach = new ReverseReach(ia, ib);
  if (reach.edits === undefined) return oneReplacement(ia, ib);
  const changes: LineChange[] = [];
  let left = reach.edits;
  let x = 0;
  let y = 0;
  while (x < n || y < m) {
    if (x < n && y < m && ia[x] === ib[y]) { x++; y++; continue; }
    if (x < n && (y === m || reach.within(left - 1, x + 1, y))) {
      pushChange(changes, x, x + 1, y, y);
      x++;
    } else {
      pushChange(changes, x, x, y, y + 1);
      y++;
    }
    left--;
  }
  return changes;
}
