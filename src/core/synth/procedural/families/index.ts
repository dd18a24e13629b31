/** The family library, in a fixed order (task i uses family i mod N: the order is part of the seed's meaning). */
import type { Family } from '../family.js';
import { BATCH_A } from './batch-a.js';
import { BATCH_B } from './batch-b.js';
import { BATCH_C } from './batch-c.js';
import { expenseRollup } from './expense-rollup.js';
import { meetingActionItems } from './meeting-action-items.js';

export const FAMILIES: readonly Family[] = [expenseRollup, meetingActionItems, ...BATCH_A, ...BATCH_B, ...BATCH_C];
