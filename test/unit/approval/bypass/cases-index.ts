/** Each class's cases, for the probe files that run one part of the table each. */
export { PARSER_CASES } from './cases-parser';
export { WRAPPER_CASES } from './cases-wrappers';
export { WRITE_CASES } from './cases-writes';
export { EXEC_OPTION_CASES } from './cases-exec-options';
export { DENY_CASES } from './cases-deny';
export { ALLOW_CASES } from './cases-allow';
