/**
 * Bypass table probes, part 1: each case that must not be allowed is really run under
 * /bin/sh and/or bash in a fresh fixture workspace, proving its payload runs (so the table can
 * never drift from what the shells do). Decisions are checked in bypass-table.test.ts.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { PARSER_CASES, WRAPPER_CASES } from './bypass/cases-index';
import { runProbe } from './bypass/probe';

void describe('command bypass probes (parser, wrappers)', () => {
  for (const c of [...PARSER_CASES, ...WRAPPER_CASES]) {
    if (!c.probe) continue;
    const probe = c.probe;
    void test(`probe: ${c.id} runs its payload under ${probe.shells.join(' and ')}`, () => {
      for (const o of runProbe(c)) assert.ok(o.ok, `${o.shell}: ${o.detail}`);
    });
  }
});
