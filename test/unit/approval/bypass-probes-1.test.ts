/**
 * Bypass table probes, part 1 (parser, wrappers): each case that must not be allowed is really run under
 * /bin/sh and/or bash in a fresh fixture workspace, proving its payload runs. Decisions are
 * checked in bypass-table.test.ts; the table is split so each file stays well inside the timeout.
 */
import { PARSER_CASES, WRAPPER_CASES } from './bypass/cases-index';
import { probeSuite } from './bypass/probe';

probeSuite('parser, wrappers', [...PARSER_CASES, ...WRAPPER_CASES]);
