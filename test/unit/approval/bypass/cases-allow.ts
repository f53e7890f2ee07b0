import type { BypassCase } from './types';

export const ALLOW_CASES: BypassCase[] = [
];
