import type { BypassCase } from './types';

export const DENY_CASES: BypassCase[] = [
];
