/**
 * Families that do not state their rules or ship mutant solutions yet: the mutants test skips them,
 * saying so. A family leaves this list when it gains `rules` and `mutants` (see family.ts); the list
 * is meant to end up empty. One id per line, so removals by different hands merge cleanly.
 */
export const MUTANTS_PENDING: ReadonlySet<string> = new Set<string>([
  'calendar-conflicts',
  'contact-dedupe',
  'timesheet-hours',
  'sales-pivot',
  'survey-nps',
  'ab-test-readout',
  'i18n-fill',
  'recipe-scaler',
  'catalog-price-update',
  'blog-index',
  'nginx-access-report',
  'crontab-schedule-report',
  'systemd-hardening',
  'backup-manifest-verify',
  'env-config-merge',
  'ics-free-slots',
  'project-critical-path',
  'reading-plan',
  'kb-link-audit',
  'py-symbol-rename',
  'py-failing-test-fix',
  'py-unit-tests-write',
  'release-version-bump',
  'deps-manifest-sync',
  'adr-register',
]);
