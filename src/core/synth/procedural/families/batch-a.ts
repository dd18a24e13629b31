/** Families of batch A (see family.ts for the contract). */
import type { Family } from '../family.js';

export const BATCH_A: readonly Family[] = [];
