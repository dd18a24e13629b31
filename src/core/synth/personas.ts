/**
 * The persona bank: who asks for a task, and how they say it. The bundled bank is data
 * (data/personas.json); a user's jsonl (one persona a line) can replace it.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { UsageError } from '../errors.js';
import bundled from './data/personas.json' with { type: 'json' };

/**
 * What kind of work a persona does, so a family can ask for someone who would plausibly send its
 * task (an SRE for nginx logs, a chef for a recipe, not the other way round).
 */
export const PERSONA_DOMAINS = ['office', 'finance', 'data', 'research', 'education', 'content', 'commerce', 'food', 'software', 'it-ops'] as const;
export const PersonaDomain = z.enum(PERSONA_DOMAINS);
export type PersonaDomain = z.infer<typeof PersonaDomain>;

export const Persona = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  name: z.string(),
  role: z.string(),
  /** Where they work or what they do, in a few words. */
  context: z.string(),
  /** How they write requests: e.g. terse, friendly, formal, detailed. */
  voice: z.enum(['terse', 'friendly', 'formal', 'detailed', 'hurried']),
  interests: z.array(z.string()).default([]),
  /** The kinds of work they do; when absent, read from role, context and interests (personaDomains). */
  domains: z.array(PersonaDomain).optional(),
});
export type Persona = z.infer<typeof Persona>;

/** Whole words or phrases in a role, context or interest that mark a domain (case-insensitive). */
const DOMAIN_WORDS: Record<PersonaDomain, string[]> = {
  office: ['manager', 'coordinator', 'assistant', 'administrator', 'secretary', 'clerk', 'lead', 'director', 'owner', 'founder', 'planner', 'organiser', 'officer', 'supervisor', 'principal', 'registrar', 'HR', 'HR generalist', 'recruiter', 'controller', 'consultant', 'producer', 'operations', 'dispatcher', 'minutes', 'meeting minutes', 'rosters', 'rotas', 'schedules', 'timetables', 'bookings', 'appointment books', 'deadlines', 'client follow-ups'],
  finance: ['finance', 'financial', 'accountant', 'bookkeeper', 'treasurer', 'auditor', 'audits', 'tax', 'tax filings', 'CFO', 'budget', 'budgets', 'family budget', 'invoices', 'payroll', 'ledgers', 'loan ledgers', 'expense claims', 'bank', 'actuary', 'microfinance', 'cost accountant', 'cost reports', 'earnings', 'revenue', 'reconciliations', 'transaction reconciliations', 'month-end close', 'donations', 'receipts', 'fuel receipts', 'rent roll', 'membership fees', 'annual accounts', 'billing'],
  data: ['data', 'analyst', 'analytics', 'quant', 'actuary', 'statistics', 'dashboards', 'SQL exports', 'A/B tests', 'survey data', 'survey results', 'metrics', 'call metrics', 'engagement metrics', 'KPIs', 'regression output', 'forecasts', 'demand forecasts', 'backtests', 'spreadsheets', 'datasets', 'sensor data', 'sampling data', 'emissions data'],
  research: ['PhD student', 'PhD candidate', 'researcher', 'research', 'scientist', 'lab', 'graduate student', 'postdoc', 'biologist', 'pharmacologist', 'citations', 'LaTeX', 'corpus files', 'field notes', 'analysis scripts', 'assay results', 'lab notebooks', 'experiment logs'],
  education: ['teacher', 'tutor', 'student', 'undergraduate', 'professor', 'lecturer', 'school', 'university', 'teaching', 'grading', 'grades', 'lesson plans', 'lesson notes', 'counsellor', 'librarian', 'trainer', 'coach', 'educator', 'mentor', 'marks', 'reading lists', 'study notes', 'study schedules', 'homework planning', 'course materials', 'problem sets', 'grading rubrics', 'worksheets', 'test papers'],
  content: ['writer', 'copywriter', 'journalist', 'editor', 'translator', 'interpreter', 'localisation', 'localization', 'content', 'marketing', 'social media', 'PR consultant', 'press releases', 'blog calendars', 'SEO briefs', 'copy', 'microcopy', 'podcast', 'publisher', 'archivist', 'librarian', 'style guides', 'glossaries', 'terminology lists', 'string files', 'translation memory', 'newsletters', 'club newsletters', 'class newsletters', 'show notes', 'catalogue records', 'drafts', 'client briefs', 'metadata records'],
  commerce: ['shop', 'store', 'retail', 'retailer', 'seller', 'e-commerce', 'vendor', 'trader', 'merchant', 'sales', 'daily sales', 'sales reports', 'pricing', 'price lists', 'stock', 'stock levels', 'stock counts', 'inventory', 'orders', 'supplier orders', 'parts orders', 'procurement', 'supply chain', 'warehouse', 'warehouse stock', 'import-export', 'distributor', 'marketplace', 'boutique', 'franchise', 'purchase orders', 'purchase plans', 'ordering', 'listings'],
  food: ['chef', 'restaurant', 'bakery', 'café', 'cafe', 'bar', 'wine bar', 'cocktail bar', 'taqueria', 'bistro', 'menu costing', 'recipe', 'recipes', 'wine', 'wine list', 'coffee', 'catering', 'kitchen', 'allergen sheets', 'ingredient costs', 'prep lists', 'bubble-tea', 'food bank', 'vineyard', 'oenology', 'fermentation logs', 'tasting notes', 'cooking'],
  software: ['developer', 'software', 'programmer', 'maintainer', 'software tester', 'DevOps', 'computer science', 'git repos', 'code review', 'Python services', 'Java services', 'CI pipelines', 'Terraform', 'build scripts', 'frontend', 'backend', 'mobile developer', 'embedded engineer', 'machine learning engineer', 'component libraries', 'pull requests', 'release notes', 'release checklists', 'firmware logs', 'data engineer', 'ETL jobs', 'schema changes', 'database migrations', 'crash reports', 'bug reports', 'bug triage', 'test plans'],
  'it-ops': ['sysadmin', 'site reliability engineer', 'DevOps', 'DevOps engineer', 'IT support technician', 'IT administrator', 'IT director', 'IT consultant', 'network engineer', 'cloud architect', 'security analyst', 'backend engineer', 'server logs', 'cron jobs', 'backups', 'Kubernetes configs', 'router configs', 'firewall logs', 'on-call', 'on-call runbooks', 'outage reports', 'alerts', 'user accounts', 'deployments', 'web hosting', 'API logs', 'Terraform', 'tickets', 'device inventories', 'asset inventory', 'audit trails'],
};
const escape = (w: string) => w.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const DOMAIN_RE = Object.fromEntries(
  PERSONA_DOMAINS.map((d) => [d, new RegExp(`(?:^|[^\\p{L}\\p{N}-])(?:${DOMAIN_WORDS[d].map(escape).join('|')})(?=$|[^\\p{L}\\p{N}-])`, 'iu')]),
) as Record<PersonaDomain, RegExp>;

const domainCache = new WeakMap<Persona, ReadonlySet<PersonaDomain>>();

/** The domains a persona works in: as given, else from the words of its role, context and interests. */
export function personaDomains(p: Persona): ReadonlySet<PersonaDomain> {
  const hit = domainCache.get(p);
  if (hit) return hit;
  const text = [p.role, p.context, ...p.interests].join(' ; ');
  const d = new Set<PersonaDomain>(p.domains ?? PERSONA_DOMAINS.filter((k) => DOMAIN_RE[k].test(text)));
  domainCache.set(p, d);
  return d;
}

/** The personas that work in at least one of `domains` (all of them when none does, so a small user bank still works). */
export function personasFor(personas: readonly Persona[], domains: readonly PersonaDomain[]): readonly Persona[] {
  const fit = personas.filter((p) => domains.some((d) => personaDomains(p).has(d)));
  return fit.length ? fit : personas;
}

export function bundledPersonas(): Persona[] {
  return z.array(Persona).parse(bundled);
}

/** A user's persona file: jsonl, one persona object a line; errors name the line. */
export function loadPersonasJsonl(file: string): Persona[] {
  const out: Persona[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (!line.trim()) return;
      let raw: unknown;
      try {
        raw = JSON.parse(line);
      } catch (e) {
        throw new UsageError(`${file}:${i + 1}: not JSON: ${(e as Error).message}`);
      }
      const r = Persona.safeParse(raw);
      if (!r.success) throw new UsageError(`${file}:${i + 1}: ${r.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
      out.push(r.data);
    });
  if (!out.length) throw new UsageError(`${file}: no personas`);
  return out;
}
