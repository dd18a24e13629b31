/**
 * The family library, in a fixed order: task i uses family i mod N, so the order is part of a
 * seed's meaning — append new families at the end, never reorder. Grouped by category as they
 * were added; the comment before each run names its category.
 */
import type { Family } from '../family.js';
import { abTestReadout } from './ab-test-readout.js';
import { adrRegister } from './adr-register.js';
import { backupManifestVerify } from './backup-manifest-verify.js';
import { blogIndex } from './blog-index.js';
import { calendarConflicts } from './calendar-conflicts.js';
import { COMPOSED_FAMILIES } from './composed/index.js';
import { catalogPriceUpdate } from './catalog-price-update.js';
import { contactDedupe } from './contact-dedupe.js';
import { crontabScheduleReport } from './crontab-schedule-report.js';
import { depsManifestSync } from './deps-manifest-sync.js';
import { envConfigMerge } from './env-config-merge.js';
import { expenseRollup } from './expense-rollup.js';
import { glossaryConsistency } from './glossary-consistency.js';
import { gradebookWeighted } from './gradebook-weighted.js';
import { i18nFill } from './i18n-fill.js';
import { icsFreeSlots } from './ics-free-slots.js';
import { inboxTriage } from './inbox-triage.js';
import { inventoryReorder } from './inventory-reorder.js';
import { kanbanOverdue } from './kanban-overdue.js';
import { kbLinkAudit } from './kb-link-audit.js';
import { meetingActionItems } from './meeting-action-items.js';
import { nginxAccessReport } from './nginx-access-report.js';
import { projectCriticalPath } from './project-critical-path.js';
import { pyFailingTestFix } from './py-failing-test-fix.js';
import { pySymbolRename } from './py-symbol-rename.js';
import { pyUnitTestsWrite } from './py-unit-tests-write.js';
import { readingPlan } from './reading-plan.js';
import { recipeScaler } from './recipe-scaler.js';
import { releaseVersionBump } from './release-version-bump.js';
import { salesPivot } from './sales-pivot.js';
import { surveyNps } from './survey-nps.js';
import { systemdHardening } from './systemd-hardening.js';
import { timesheetHours } from './timesheet-hours.js';

/** Every single-purpose family (one kind of task each). */
export const SINGLE_FAMILIES: readonly Family[] = [
  // The first two: Analysis & Reasoning, Productivity & Collaboration
  expenseRollup,
  meetingActionItems,
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
  // Systems & Automation
  nginxAccessReport,
  crontabScheduleReport,
  systemdHardening,
  backupManifestVerify,
  envConfigMerge,
  // Planning & Knowledge
  icsFreeSlots,
  projectCriticalPath,
  readingPlan,
  kbLinkAudit,
  // Software Dev
  pySymbolRename,
  pyFailingTestFix,
  pyUnitTestsWrite,
  releaseVersionBump,
  depsManifestSync,
  // Planning & Knowledge
  adrRegister,
];

/** The whole library, in seed order. */
export const FAMILIES: readonly Family[] = [...SINGLE_FAMILIES, ...COMPOSED_FAMILIES];
