/**
 * Which rows of a long list to render: measured heights where known, an estimate elsewhere,
 * the visible range plus overscan, capped. Pure arithmetic, no DOM.
 */
export interface WindowRange {
  start: number;
  end: number;
  /** Height of the rows before `start` and after `end` (the spacers). */
  before: number;
  after: number;
}

export const ESTIMATED_ROW_HEIGHT = 56;
export const OVERSCAN_PX = 800;
export const MAX_RENDERED_ROWS = 80;

export function computeWindow(
  keys: readonly string[], heights: ReadonlyMap<string, number>, scrollTop: number, viewportHeight: number,
): WindowRange {
  const h = (i: number): number => heights.get(keys[i]) ?? ESTIMATED_ROW_HEIGHT;
  let total = 0;
  for (let i = 0; i < keys.length; i++) total += h(i);
  // Scrolled past the end (or "stick to bottom" passes +∞): show the last screenful.
  scrollTop = Math.max(0, Math.min(scrollTop, total - viewportHeight));
  const top = Math.max(0, scrollTop - OVERSCAN_PX);
  const bottom = scrollTop + viewportHeight + OVERSCAN_PX;
  let y = 0;
  let start = 0;
  while (start < keys.length && y + h(start) < top) y += h(start++);
  const before = y;
  let end = start;
  while (end < keys.length && y < bottom && end - start < MAX_RENDERED_ROWS) y += h(end++);
  const after = total - y;
  return { start, end, before, after };
}
