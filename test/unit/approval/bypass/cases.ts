import type { BypassCase } from './types';
import { PARSER_CASES } from './cases-parser';
import { WRAPPER_CASES } from './cases-wrappers';
import { WRITE_CASES } from './cases-writes';
import { EXEC_OPTION_CASES } from './cases-exec-options';
import { DENY_CASES } from './cases-deny';
import { ALLOW_CASES } from './cases-allow';

/** Every case of the bypass table, in class order. */
export const ALL_CASES: readonly BypassCase[] = [
  ...PARSER_CASES, ...WRAPPER_CASES, ...WRITE_CASES, ...EXEC_OPTION_CASES, ...DENY_CASES, ...ALLOW_CASES,
];
