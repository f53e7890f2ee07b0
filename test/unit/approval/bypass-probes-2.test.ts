/**
 * Bypass table probes, part 2 (writes, exec options): each case that must not be allowed is really run under
 * /bin/sh and/or bash in a fresh fixture workspace, proving its payload runs. Decisions are
 * checked in bypass-table.test.ts; the table is split so each file stays well inside the timeout.
 */
import { WRITE_CASES, EXEC_OPTION_CASES } from './bypass/cases-index';
import { probeSuite } from './bypass/probe';

probeSuite('writes, exec options', [...WRITE_CASES, ...EXEC_OPTION_CASES]);
