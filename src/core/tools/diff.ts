/**
 * A small unified-diff writer for approval cards and logs. Common prefix/suffix lines are
 * trimmed first (edits are usually local), then the middle is diffed by LCS when it is small
 * enough, else shown as one replacement block — always correct, sometimes not minimal.
 */

type Op = { kind: ' ' | '-' | '+'; line: string };

/** Above this many cells (n × m) the middle is shown as a plain replacement. */
const MAX_LCS_CELLS = 4_000_000;

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function diffMiddle(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0 || n * m > MAX_LCS_CELLS) {
    return [...a.map((line) => ({ kind: '-' as const, line })), ...b.map((line) => ({ kind: '+' as const, line }))];
  }
  // lcs[i][j] = LCS length of a[i..] and b[j..], in one flat array.
  const w = m + 1;
  const lcs = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * w + j] = a[i] === b[j] ? lcs[(i + 1) * w + j + 1] + 1 : Math.max(lcs[(i + 1) * w + j], lcs[i * w + j + 1]);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) { ops.push({ kind: ' ', line: a[i] }); i++; j++; }
    else if (lcs[(i + 1) * w + j] >= lcs[i * w + j + 1]) ops.push({ kind: '-', line: a[i++] });
    else ops.push({ kind: '+', line: b[j++] });
  }
  while (i < n) ops.push({ kind: '-', line: a[i++] });
  while (j < m) ops.push({ kind: '+', line: b[j++] });
  return ops;
}

/**
 * Unified diff of `before` → `after` with `context` lines around changes.
 * Returns "" when the texts are equal.
 */
export function unifiedDiff(path: string, before: string, after: string, context = 3): string {
  if (before === after) return '';
  const a = splitLines(before);
  const b = splitLines(after);
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const ops: Op[] = [
    ...a.slice(0, pre).map((line) => ({ kind: ' ' as const, line })),
    ...diffMiddle(a.slice(pre, a.length - suf), b.slice(pre, b.length - suf)),
    ...a.slice(a.length - suf).map((line) => ({ kind: ' ' as const, line })),
  ];

  // Group changes into hunks separated by more than 2×context unchanged lines.
  const out: string[] = [`--- a/${path}`, `+++ b/${path}`];
  const changed = ops.map((o, k) => (o.kind !== ' ' ? k : -1)).filter((k) => k >= 0);
  if (changed.length === 0) {
    // Only the trailing newline differs.
    out.push('@@ -1 +1 @@', '\\ trailing newline changed');
    return out.join('\n') + '\n';
  }
  let k = 0;
  while (k < changed.length) {
    let endIdx = k;
    while (endIdx + 1 < changed.length && changed[endIdx + 1] - changed[endIdx] <= 2 * context + 1) endIdx++;
    const from = Math.max(0, changed[k] - context);
    const to = Math.min(ops.length - 1, changed[endIdx] + context);
    let aStart = 1;
    let bStart = 1;
    for (let x = 0; x < from; x++) {
      if (ops[x].kind !== '+') aStart++;
      if (ops[x].kind !== '-') bStart++;
    }
    const slice = ops.slice(from, to + 1);
    const aLen = slice.filter((o) => o.kind !== '+').length;
    const bLen = slice.filter((o) => o.kind !== '-').length;
    out.push(`@@ -${aLen === 0 ? aStart - 1 : aStart},${aLen} +${bLen === 0 ? bStart - 1 : bStart},${bLen} @@`);
    for (const o of slice) out.push(o.kind + o.line);
    k = endIdx + 1;
  }
  return out.join('\n') + '\n';
}
