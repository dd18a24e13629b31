/** Families of batch A (see family.ts for the contract). Fixed order: it is part of a seed's meaning. */
import type { Family } from '../family.js';
import { abTestReadout } from './ab-test-readout.js';
import { blogIndex } from './blog-index.js';
import { calendarConflicts } from './calendar-conflicts.js';
import { catalogPriceUpdate } from './catalog-price-update.js';
import { contactDedupe } from './contact-dedupe.js';
import { glossaryConsistency } from './glossary-consistency.js';
import { gradebookWeighted } from './gradebook-weighted.js';
import { i18nFill } from './i18n-fill.js';
import { inboxTriage } from './inbox-triage.js';
import { inventoryReorder } from './inventory-reorder.js';
import { kanbanOverdue } from './kanban-overdue.js';
import { recipeScaler } from './recipe-scaler.js';
import { salesPivot } from './sales-pivot.js';
import { surveyNps } from './survey-nps.js';
import { timesheetHours } from './timesheet-hours.js';

export const BATCH_A: readonly Family[] = [
  // Productivity & Collaboration
  inboxTriage,
  calendarConflicts,
  contactDedupe,
  timesheetHours,
  kanbanOverdue,
  // Analysis & Reasoning
  salesPivot,
  surveyNps,
  abTestReadout,
  inventoryReorder,
  gradebookWeighted,
  // Content & Domain
  glossaryConsistency,
  i18nFill,
  recipeScaler,
  catalogPriceUpdate,
  blogIndex,
];
