import type { BypassCase } from './types';

export const EXEC_OPTION_CASES: BypassCase[] = [
];
