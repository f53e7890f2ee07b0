/**
 * Runs a bypass case's probe: a fresh fixture per shell, the optional setup, then the command
 * under /bin/sh or bash with HOME inside the temp folder and no network use, and checks that
 * every listed effect happened. A probe that sees its effect proves the payload really runs.
 */
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { makeFixture } from './fixture';
import type { BypassCase, ProbeEffect } from './types';

const SHELLS = { sh: '/bin/sh', bash: 'bash' } as const;

export interface ProbeOutcome {
  shell: 'sh' | 'bash';
  ok: boolean;
  /** What was missing, with the command's output, when not ok. */
  detail: string;
}

function check(ws: string, e: ProbeEffect): string | undefined {
  if ('exists' in e) return existsSync(path.join(ws, e.exists)) ? undefined : `expected ${e.exists} to exist`;
  if ('missing' in e) return existsSync(path.join(ws, e.missing)) ? `expected ${e.missing} to be gone` : undefined;
  const [file, text] = e.contains;
  const full = path.join(ws, file);
  if (!existsSync(full)) return `expected ${file} to exist (and contain ${JSON.stringify(text)})`;
  return readFileSync(full, 'utf8').includes(text) ? undefined : `expected ${file} to contain ${JSON.stringify(text)}`;
}

export function runProbe(c: BypassCase): ProbeOutcome[] {
  const probe = c.probe;
  if (!probe) return [];
  return probe.shells.map((shell) => {
    const fx = makeFixture('bypass-probe-');
    try {
      const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: fx.home, LANG: 'C.UTF-8', GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0' };
      if (probe.setup) {
        const s = spawnSync('/bin/sh', ['-c', probe.setup], { cwd: fx.ws, env, encoding: 'utf8', timeout: 10_000 });
        if (s.status !== 0) return { shell, ok: false, detail: `setup failed (${s.status}): ${s.stderr}` };
      }
      const r = spawnSync(SHELLS[shell], ['-c', probe.command ?? c.command], { cwd: fx.ws, env, encoding: 'utf8', timeout: 10_000 });
      const problems = probe.effects.map((e) => check(fx.ws, e)).filter((p): p is string => p !== undefined);
      return { shell, ok: problems.length === 0, detail: problems.length === 0 ? '' : `${problems.join('; ')} — exit ${r.status}, stdout ${JSON.stringify(r.stdout.slice(0, 300))}, stderr ${JSON.stringify(r.stderr.slice(0, 300))}` };
    } finally {
      fx.dispose();
    }
  });
}

/** Declares one node:test per probed case of `cases` (one probe file per part of the table). */
export function probeSuite(label: string, cases: readonly BypassCase[]): void {
  void describe(`command bypass probes (${label})`, () => {
    for (const c of cases) {
      if (!c.probe) continue;
      const shells = c.probe.shells.join(' and ');
      void test(`probe: ${c.id} runs its payload under ${shells}`, () => {
        for (const o of runProbe(c)) assert.ok(o.ok, `${o.shell}: ${o.detail}`);
      });
    }
  });
}
