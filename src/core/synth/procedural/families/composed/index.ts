/**
 * The composed families: tasks that chain several operations over a messy workspace. Appended
 * after the single-purpose families (order is part of a seed's meaning: append, never reorder).
 * Their tasks draw difficulty from COMPOSED_MIX instead of 1–5 uniformly.
 */
import type { Difficulty, Family } from '../../family.js';
import { actionTracker } from './action-tracker.js';
import { cardSpendDashboard } from './card-spend-dashboard.js';
import { contractNoticeCalendar } from './contract-notice-calendar.js';
import { gradebookFinal } from './gradebook-final.js';
import { incidentConfigFix } from './incident-config-fix.js';
import { ledgerReportFix } from './ledger-report-fix.js';
import { notesRenameLinks } from './notes-rename-links.js';
import { priceListPublish } from './price-list-publish.js';
import { purchaseOrders } from './purchase-orders.js';
import { releaseCut } from './release-cut.js';
import { secretRotation } from './secret-rotation.js';
import { timesheetInvoices } from './timesheet-invoices.js';

/** Difficulty 2–5, centred on 3–4: a composed task is never trivial. */
export const COMPOSED_MIX: readonly Difficulty[] = [2, 3, 3, 4, 4, 5];

export const COMPOSED_FAMILIES: readonly Family[] = [
  cardSpendDashboard, // Analysis & Reasoning
  ledgerReportFix, // Software Dev
  incidentConfigFix, // Systems & Automation
  purchaseOrders, // Analysis & Reasoning
  actionTracker, // Productivity & Collaboration
  notesRenameLinks, // Planning & Knowledge
  secretRotation, // Systems & Automation
  priceListPublish, // Content & Domain
  releaseCut, // Software Dev
  contractNoticeCalendar, // Planning & Knowledge
  timesheetInvoices, // Productivity & Collaboration
  gradebookFinal, // Content & Domain
].map((f) => ({ ...f, difficultyMix: COMPOSED_MIX }));
