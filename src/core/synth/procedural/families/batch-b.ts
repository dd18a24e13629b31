/** Families of batch B (see family.ts for the contract). */
import type { Family } from '../family.js';

export const BATCH_B: readonly Family[] = [];
