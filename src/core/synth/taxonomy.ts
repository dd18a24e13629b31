/**
 * ClawGym's released seed taxonomy (scenario categories with subcategories; operation categories
 * with atomic operations), bundled as data in data/taxonomy/ — a verbatim copy of
 * ../shared/reference/clawgym-taxonomy/ — for the persona route.
 */
import { z } from 'zod';
import categories from './data/taxonomy/categories.json' with { type: 'json' };
import operations from './data/taxonomy/operations.json' with { type: 'json' };

export const ScenarioCategory = z.object({ category: z.string(), subcategories: z.array(z.string()).min(1) });
export const OperationCategory = z.object({ category: z.string(), actions: z.array(z.string()).min(1) });

export interface Taxonomy {
  scenarios: Array<z.infer<typeof ScenarioCategory>>;
  operations: Array<z.infer<typeof OperationCategory>>;
}

export function bundledTaxonomy(): Taxonomy {
  return { scenarios: z.array(ScenarioCategory).min(1).parse(categories), operations: z.array(OperationCategory).min(1).parse(operations) };
}

/** Every atomic operation, in taxonomy order. */
export function atomicOperations(t: Taxonomy): string[] {
  return t.operations.flatMap((c) => c.actions);
}
