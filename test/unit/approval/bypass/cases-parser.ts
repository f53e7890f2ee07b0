import type { BypassCase } from './types';

export const PARSER_CASES: BypassCase[] = [
];
