/**
 * Families that do not state their rules or ship mutant solutions yet: the mutants test skips them,
 * saying so. A family leaves this list when it gains `rules` and `mutants` (see family.ts); the list
 * is meant to end up empty. One id per line, so removals by different hands merge cleanly.
 */
export const MUTANTS_PENDING: ReadonlySet<string> = new Set<string>([
  'calendar-conflicts',
  'contact-dedupe',
  'ab-test-readout',
  'catalog-price-update',
  'blog-index',
  'backup-manifest-verify',
  'ics-free-slots',
  'deps-manifest-sync',
  'adr-register',
]);
