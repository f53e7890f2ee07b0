import type { BypassCase } from './types';

export const WRITE_CASES: BypassCase[] = [
];
