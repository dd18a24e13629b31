/** Families of batch B (see family.ts for the contract). */
import type { Family } from '../family.js';
import { backupManifestVerify } from './backup-manifest-verify.js';
import { crontabScheduleReport } from './crontab-schedule-report.js';
import { envConfigMerge } from './env-config-merge.js';
import { icsFreeSlots } from './ics-free-slots.js';
import { kbLinkAudit } from './kb-link-audit.js';
import { nginxAccessReport } from './nginx-access-report.js';
import { projectCriticalPath } from './project-critical-path.js';
import { readingPlan } from './reading-plan.js';
import { systemdHardening } from './systemd-hardening.js';

export const BATCH_B: readonly Family[] = [nginxAccessReport, crontabScheduleReport, systemdHardening, backupManifestVerify, envConfigMerge, icsFreeSlots, projectCriticalPath, readingPlan, kbLinkAudit];
