/** Families of batch C: Software Dev, plus one more Planning & Knowledge (see family.ts for the contract). Fixed order: it is part of a seed's meaning. */
import type { Family } from '../family.js';
import { adrRegister } from './adr-register.js';
import { depsManifestSync } from './deps-manifest-sync.js';
import { pyFailingTestFix } from './py-failing-test-fix.js';
import { pySymbolRename } from './py-symbol-rename.js';
import { pyUnitTestsWrite } from './py-unit-tests-write.js';
import { releaseVersionBump } from './release-version-bump.js';

export const BATCH_C: readonly Family[] = [
  // Software Dev
  pySymbolRename,
  pyFailingTestFix,
  pyUnitTestsWrite,
  releaseVersionBump,
  depsManifestSync,
  // Planning & Knowledge
  adrRegister,
];
