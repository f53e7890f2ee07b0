import type { BypassCase } from './types';

export const WRAPPER_CASES: BypassCase[] = [
];
