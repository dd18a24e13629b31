/** Content & Domain: scale recipes (fractions, unit conversion) and build a shopping list net of the pantry. */
import type { CheckInput, Family, Mutant, Rule } from '../family.js';
import { voiced } from '../family.js';
import { cmp } from './common.js';
import { csvText } from './csv.js';
import { q } from './json-path.js';
import { say, slug } from './phrasing.js';
import { pyOracle } from './py-oracle.js';
import { SKIP_LINE, skipping, thenPython } from './rule-switches.js';

// item → [metric unit ('' = counted), imperial unit or null]
const ITEMS: Record<string, [string, string | null]> = {
  flour: ['g', 'oz'], sugar: ['g', 'oz'], butter: ['g', 'oz'], 'grated cheese': ['g', 'oz'], 'chicken thighs': ['g', 'lb'], potatoes: ['g', 'lb'], rice: ['g', 'oz'],
  'ground beef': ['g', 'lb'], 'dark chocolate': ['g', 'oz'], oats: ['g', 'oz'], milk: ['ml', 'cup'], 'vegetable stock': ['ml', 'cup'], cream: ['ml', 'cup'], 'coconut milk': ['ml', 'cup'],
  'olive oil': ['ml', 'tbsp'], 'soy sauce': ['ml', 'tbsp'], 'lemon juice': ['ml', 'tbsp'], honey: ['ml', 'tbsp'], 'vanilla extract': ['ml', 'tsp'], 'baking powder': ['ml', 'tsp'],
  cinnamon: ['ml', 'tsp'], 'curry paste': ['ml', 'tbsp'], eggs: ['', null], onions: ['', null], 'garlic cloves': ['', null], lemons: ['', null], tomatoes: ['', null], bananas: ['', null],
};
const RECIPES: Record<string, string[]> = {
  'Buttermilk pancakes': ['flour', 'sugar', 'baking powder', 'milk', 'eggs', 'butter', 'vanilla extract'],
  'Chicken curry': ['chicken thighs', 'onions', 'garlic cloves', 'curry paste', 'coconut milk', 'rice', 'olive oil'],
  'Banana bread': ['bananas', 'flour', 'sugar', 'butter', 'eggs', 'baking powder', 'cinnamon'],
  'Shepherd\'s pie': ['ground beef', 'onions', 'potatoes', 'butter', 'milk', 'vegetable stock', 'grated cheese'],
  'Lemon risotto': ['rice', 'vegetable stock', 'onions', 'garlic cloves', 'lemons', 'butter', 'grated cheese', 'lemon juice'],
  'Chocolate brownies': ['dark chocolate', 'butter', 'sugar', 'eggs', 'flour', 'vanilla extract'],
  'Honey granola': ['oats', 'honey', 'olive oil', 'cinnamon', 'sugar'],
  'Tomato soup': ['tomatoes', 'onions', 'garlic cloves', 'vegetable stock', 'cream', 'olive oil'],
  'Teriyaki chicken': ['chicken thighs', 'soy sauce', 'honey', 'garlic cloves', 'rice', 'lemon juice'],
};
const FACTORS: Record<string, [string, number]> = { oz: ['g', 28], lb: ['g', 454], cup: ['ml', 240], tbsp: ['ml', 15], tsp: ['ml', 5] };
const FRACS: Array<[string, number]> = [['1/4', 0.25], ['1/2', 0.5], ['3/4', 0.75], ['1', 1], ['1 1/2', 1.5], ['2', 2], ['2 1/2', 2.5], ['3', 3], ['1/3', 1 / 3]];

const r6 = (x: number) => Math.round(x * 1e6) / 1e6;

export const recipeScaler: Family = {
  id: 'recipe-scaler',
  version: 2,
  category: 'Content & Domain',
  subcategory: 'domain data handling',
  summary: 'Scale markdown recipes to new servings (fractions, imperial→metric) or merge several into a shopping list net of the pantry; write JSON.',
  domains: ['food'],
  generate(ctx) {
    const { rng, difficulty: d } = ctx;
    const multi = d >= 4;
    const convert = d >= 3;
    let files: Record<string, string> = {};
    const dir = rng.pick(['recipes', 'kitchen/recipes', 'cookbook']);
    const makeRecipes = (names: string[]) => names.map((name) => {
      const serves = rng.pick([2, 4, 4, 6, 8]);
      let target = rng.pick([1, 2, 3, 4, 5, 6, 8, 10, 12, 20].filter((x) => x !== serves));
      if (d === 1) target = serves * rng.pick([2, 3]);
      const ings = RECIPES[name]!.map((item) => {
        const [metric, imperial] = ITEMS[item]!;
        const useImp = imperial && (d === 2 ? rng.chance(0.6) : convert && rng.chance(0.5));
        if (!metric) {
          const [txt, v] = d >= 2 && rng.chance(0.25) ? rng.pick(FRACS.slice(1, 2)) : ((n) => [String(n), n] as [string, number])(rng.int(1, 4));
          return { item, unit: '', txt, v, outUnit: '' };
        }
        if (useImp) {
          const [txt, v] = rng.pick(FRACS);
          const u = imperial!;
          const plural = v > 1 && u === 'cup' ? 'cups' : u;
          return { item, unit: plural, txt, v: convert ? v * FACTORS[u]![1] : v, outUnit: convert ? FACTORS[u]![0] : u };
        }
        const v = metric === 'g' ? rng.int(2, 50) * 10 : rng.int(1, 40) * 5;
        return { item, unit: metric, txt: String(v), v, outUnit: metric };
      });
      const path = `${dir}/${slug(name)}.md`;
      const steps = ['Prepare all the ingredients.', 'Combine everything in a large bowl.', 'Cook gently, stirring now and then.', 'Season to taste and serve.', 'Let it rest for five minutes.'];
      files[path] = [
        `# ${name}`,
        '',
        `Serves: ${serves}`,
        `Prep: ${rng.int(2, 9) * 5} min`,
        '',
        '## Ingredients',
        '',
        ...ings.map((g) => `- ${g.txt} ${g.unit ? `${g.unit} ` : ''}${g.item}`),
        '',
        '## Method',
        '',
        ...rng.sample(steps, 3).map((s, i) => `${i + 1}. ${s}`),
        '',
      ].join('\n');
      return { name, path, serves, target, ings };
    });
    // Draw menus until every stated rule changes the answer: a fraction in the text (d2+), an imperial unit
    // (d3+), an item shared by two recipes (d4+), a counted item whose amount is not whole (d5, rounded up).
    let recipes: ReturnType<typeof makeRecipes> = [];
    for (let attempt = 0; ; attempt++) {
      files = {};
      recipes = makeRecipes(rng.sample(Object.keys(RECIPES), multi ? 2 + (d >= 5 ? 1 : 0) : 1));
      const all = recipes.flatMap((r) => r.ings.map((g) => ({ ...g, k: r.target / r.serves })));
      const items = all.map((g) => g.item);
      const counted = [...new Set(all.filter((g) => !g.unit).map((g) => g.item))].map((item) => all.filter((g) => g.item === item).reduce((a, g) => a + g.v * g.k, 0));
      const ok =
        (d < 2 || all.some((g) => g.txt.includes('/'))) &&
        (d < 3 || all.some((g) => g.unit !== g.outUnit)) &&
        (d < 4 || new Set(items).size < items.length) &&
        (d < 5 || counted.some((x) => Math.abs(x - Math.round(x)) > 1e-6));
      if (ok) break;
      if (attempt > 500) throw new Error('recipe-scaler: no menu exercises every rule');
    }
    const convPath = rng.pick(['kitchen/conversions.csv', 'reference/unit_conversions.csv']);
    if (convert) files[convPath] = csvText(['unit', 'to_unit', 'factor'], Object.entries(FACTORS).map(([u, [t, f]]) => [u, t, f]));
    const out = multi ? rng.pick(['shopping_list.json', 'plans/shopping_list.json', 'out/groceries.json']) : `${rng.pick(['scaled', 'out', 'kitchen/scaled'])}/${slug(recipes[0]!.name)}.json`;
    const planPath = 'menu/plan.csv';
    const pantryPath = 'menu/pantry.csv';
    const checks: CheckInput[] = [];
    let instruction: string;
    const rules: Rule[] = [];
    const fracNote = d >= 2 ? say(rng, ['- Quantities may be fractions like `1/2` or `1 1/2`.', '- Watch out for mixed numbers (`1 1/2` = 1.5) and fractions.']) : '';
    const convNote = convert ? say(rng, ['- Convert imperial units to metric with `{c}` (multiply by `factor`); metric amounts stay as they are.', '- Use `{c}` to turn oz/lb/cup/tbsp/tsp into g or ml.'], { c: convPath }) : '';
    if (fracNote) rules.push({ id: 'fractions', text: fracNote.replace(/^- /, '') });
    if (convNote) rules.push({ id: 'convert', text: convNote.replace(/^- /, '') });
    if (!multi) {
      const r = recipes[0]!;
      const k = r.target / r.serves;
      const cups = r.ings.some((g) => g.unit === 'cups');
      rules.push({ id: 'scale', text: `scale from ${r.serves} to ${r.target} servings` }, { id: 'recipe-order', text: 'ingredients in the recipe\'s order' });
      if (!convert && cups) rules.push({ id: 'unit-singular', text: 'units singular (`cups` → `cup`)' });
      const ask = say(rng, [
        'I\'m cooking {name} for {t} people but `{p}` serves {s}. Can you scale it?',
        'Please rescale the recipe in `{p}` ({name}) from {s} to {t} servings.',
        'Could you work out the ingredient amounts for {name} for {t} instead of {s}? Recipe: `{p}`.',
        'Dinner party! Scale `{p}` up/down to feed {t} (it currently serves {s}).',
        'Need the {name} quantities for {t} servings — the original in `{p}` is written for {s}.',
      ], { name: r.name, p: r.path, s: r.serves, t: r.target });
      instruction = voiced(ctx, ask, [
        ...[fracNote, convNote].filter(Boolean),
        say(rng, [
          'Write `{out}` as `{"servings": {t}, "ingredients": [{"item": ..., "qty": ..., "unit": ...}]}` in the recipe\'s order; `qty` a number (2 decimals is fine), `unit` {unitRule}, "" for counted items.',
          'Save the result to `{out}`: `servings` ({t}) and an `ingredients` list (same order as the recipe), each with `item` (name as written), `qty` (number) and `unit` ({unitRule}; empty string when there is none).',
          'Output `{out}` containing `servings` and `ingredients` — one object per line of the recipe, in order, with `item`, numeric `qty`, and `unit` ({unitRule}, or "" for things like eggs).',
        ], { out, t: r.target, unitRule: convert ? '`g` or `ml` after conversion, or the original unit' : cups ? 'singular, as in the recipe (`cups` → `cup`)' : 'as written in the recipe' }),
      ]);
      checks.push({ id: 'servings', type: 'json_path', path: out, query: '$.servings', equals: r.target });
      r.ings.forEach((g, i) => {
        checks.push({ id: `item_${i}`, type: 'json_path', path: out, query: `$.ingredients[${i}].item`, equals: g.item });
        checks.push({ id: `qty_${i}`, type: 'json_path', path: out, query: `$.ingredients[${i}].qty`, equals: g.v * k, tolerance: 0.0051 + 1e-9 });
        checks.push({ id: `unit_${i}`, type: 'json_path', path: out, query: `$.ingredients[${i}].unit`, equals: g.outUnit });
      });
    } else {
      files[planPath] = csvText(['recipe_file', 'servings'], recipes.map((r) => [r.path, r.target]));
      const need = new Map<string, { qty: number; unit: string }>();
      for (const r of recipes) for (const g of r.ings) {
        const cur = need.get(g.item) ?? { qty: 0, unit: g.outUnit };
        cur.qty += (g.v * r.target) / r.serves;
        need.set(g.item, cur);
      }
      rules.push({ id: 'scale', text: 'scale each recipe to the servings in the plan' }, { id: 'sum-items', text: 'the same ingredient in several recipes is summed' });
      const pantry: Array<[string, number, string]> = [];
      if (d >= 5) {
        // One item is fully covered (it drops out); a counted item with a fractional need is never fully covered, so rounding up shows.
        const fractional = (item: string) => !need.get(item)!.unit && Math.abs(need.get(item)!.qty - Math.round(need.get(item)!.qty)) > 1e-6;
        const picks = rng.sample([...need.keys()].sort(cmp), 3);
        const firstFull = picks.find((item) => !fractional(item));
        for (const item of picks) {
          const n = need.get(item)!;
          const full = !fractional(item) && (item === firstFull || rng.chance(0.4));
          const have = full ? Math.ceil(n.qty) + rng.int(0, 3) : Math.max(0, Math.floor(n.qty / 2));
          pantry.push([item, have, n.unit]);
          n.qty -= have;
        }
        files[pantryPath] = csvText(['item', 'qty', 'unit'], pantry);
        rules.push({ id: 'pantry-subtract', text: `subtract what is in \`${pantryPath}\`` }, { id: 'pantry-drop', text: 'leave out items fully covered by the pantry' }, { id: 'round-up-counted', text: 'round counted items up to whole numbers' });
      }
      const final = [...need.entries()]
        .map(([item, n]) => ({ item, unit: n.unit, qty: d >= 5 && !n.unit ? Math.ceil(r6(n.qty)) : n.qty }))
        .filter((x) => r6(x.qty) > 0)
        .sort((a, b) => cmp(a.item, b.item));
      const dropped = [...need.entries()].filter(([item]) => !final.some((f) => f.item === item)).map(([item]) => item);
      const ask = say(rng, [
        'I\'m cooking the recipes listed in `{plan}` this weekend. Can you make me one shopping list?',
        'Please turn the meal plan in `{plan}` ({k} recipes from `{dir}/`) into a combined shopping list.',
        'Could you add up everything I need to buy for the menu in `{plan}`?',
        'Batch-cooking day: build a grocery list from `{plan}` (each recipe scaled to the servings given there).',
        'Make a consolidated shopping list for {names} — servings are in `{plan}`.',
      ], { plan: planPath, k: recipes.length, dir, names: recipes.map((r) => r.name).join(', ') });
      instruction = voiced(ctx, ask, [
        say(rng, ['- Scale each recipe from its `Serves:` line to the servings in the plan, then add up equal items across recipes.', '- Every recipe is scaled to the plan\'s servings; the same ingredient in several recipes is summed.']),
        ...[fracNote, convNote].filter(Boolean),
        ...(d >= 5
          ? [say(rng, [
              '- Subtract what is already in `{p}`; leave out items fully covered. Round counted items (no unit) up to whole numbers after subtracting.',
              '- Take off the pantry stock in `{p}` (drop anything we already have enough of) and round counted items up to whole ones.',
            ], { p: pantryPath })]
          : []),
        say(rng, [
          'Write `{out}` as an object keyed by item name: `{"<item>": {"qty": <number>, "unit": "g" | "ml" | ""}}`.',
          'Save `{out}`: one key per item (name as in the recipes) with `qty` (a number) and `unit` (g, ml or "" for counted items).',
          'Put the list in `{out}` — item name → `{"qty": ..., "unit": ...}`, units g/ml or "" when counted.',
        ], { out }),
      ]);
      for (const f of final) {
        checks.push({ id: `qty_${slug(f.item)}`, type: 'json_path', path: out, query: q(f.item, 'qty'), equals: f.qty, tolerance: 0.0051 + 1e-9 });
        checks.push({ id: `unit_${slug(f.item)}`, type: 'json_path', path: out, query: q(f.item, 'unit'), equals: f.unit });
      }
      for (const item of dropped) checks.push({ id: `covered_${slug(item)}`, type: 'json_path', path: out, query: q(item), exists: false });
    }
    const solution = pyOracle(`
${SKIP_LINE}
def qty(s):
    if "fractions" in SKIP:
        return float(s.split()[0].split("/")[0])
    tot = 0.0
    for part in s.split():
        if "/" in part:
            a, b = part.split("/")
            tot += int(a) / int(b)
        else:
            tot += float(part)
    return tot
conv = {}
if ${convert ? 'True' : 'False'} and "convert" not in SKIP:
    for r in csv.DictReader(open(${JSON.stringify(convPath)})):
        conv[r["unit"]] = (r["to_unit"], float(r["factor"]))
UNITS = {"g", "ml", "oz", "lb", "cup", "cups", "tbsp", "tsp"}
def parse(path):
    serves, ings = None, []
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\\n")
        if line.startswith("Serves:"):
            serves = int(line.split(":")[1])
        m = re.match(r"- ((?:\\d+ )?\\d+/\\d+|\\d+(?:\\.\\d+)?) (.+)$", line)
        if m:
            q, rest = qty(m.group(1)), m.group(2)
            unit, item = "", rest
            first = rest.split(" ", 1)
            if first[0] in UNITS and len(first) == 2:
                unit, item = first[0], first[1]
            if unit == "cups" and "unit-singular" not in SKIP:
                unit = "cup"
            if unit in conv:
                q, unit = q * conv[unit][1], conv[unit][0]
            ings.append({"item": item, "qty": q, "unit": unit})
    return serves, ings
out = ${JSON.stringify(out)}
os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
if not ${multi ? 'True' : 'False'}:
    serves, ings = parse(${JSON.stringify(recipes[0]!.path)})
    k = 1 if "scale" in SKIP else ${recipes[0]!.target} if "times-target" in SKIP else ${recipes[0]!.target} / serves
    if "recipe-order" in SKIP:
        ings.sort(key=lambda g: g["item"])
    res = {"servings": ${recipes[0]!.target}, "ingredients": [{"item": g["item"], "qty": round(g["qty"] * k, 2), "unit": g["unit"]} for g in ings]}
else:
    need = {}
    for r in csv.DictReader(open(${JSON.stringify(planPath)})):
        serves, ings = parse(r["recipe_file"])
        for g in ings:
            e = need.setdefault(g["item"], {"qty": 0.0, "unit": g["unit"]})
            k = 1 if "scale" in SKIP else int(r["servings"]) if "times-target" in SKIP else int(r["servings"]) / serves
            e["qty"] = (0 if "sum-items" in SKIP else e["qty"]) + g["qty"] * k
    if os.path.exists(${JSON.stringify(pantryPath)}):
        if "pantry-subtract" not in SKIP:
            for r in csv.DictReader(open(${JSON.stringify(pantryPath)})):
                need[r["item"]]["qty"] -= float(r["qty"])
        for e in need.values():
            if e["unit"] == "" and "round-up-counted" not in SKIP:
                e["qty"] = math.ceil(round(e["qty"], 6))
    res = {k: {"qty": round(v["qty"], 2), "unit": v["unit"]} for k, v in sorted(need.items()) if round(v["qty"], 6) > 0 or "pantry-drop" in SKIP}
json.dump(res, open(out, "w"), indent=2)
`);
    const ignoring: Record<string, string> = {
      fractions: 'reads `1 1/2` as 1 and `1/2` as 1',
      convert: 'keeps imperial units unconverted',
      scale: 'copies the original amounts',
      'recipe-order': 'sorts the ingredients by name',
      'unit-singular': 'keeps `cups` as written',
      'sum-items': 'keeps only the last recipe\'s amount of a shared item',
      'pantry-subtract': 'ignores the pantry stock',
      'pantry-drop': 'keeps fully covered items with zero or negative amounts',
      'round-up-counted': 'leaves counted items fractional',
    };
    const mutants: Mutant[] = [
      ...rules.map((r) => ({ id: `ignores-${r.id}`, kind: 'wrong' as const, rule: r.id, description: ignoring[r.id]!, solution: skipping(solution, r.id) })),
      { id: 'times-target', kind: 'wrong', shortcut: 'multiplies by the target servings instead of target ÷ original servings', description: 'wrong scale factor', solution: skipping(solution, 'times-target') },
      {
        id: 'full-precision-extra',
        kind: 'variant',
        description: multi ? 'items in reverse order with an extra `note`, compact JSON' : 'an extra `original` field per ingredient and a `recipe` field, compact JSON',
        solution: thenPython(solution, `
out = ${JSON.stringify(out)}
data = json.load(open(out))
if "ingredients" in data:
    data["recipe"] = ${JSON.stringify(recipes[0]!.name)}
    for g in data["ingredients"]:
        g["original"] = "see recipe"
else:
    data = {k: dict(v, note="to buy") for k, v in reversed(list(data.items()))}
open(out, "w").write(json.dumps(data, separators=(",", ":")))
`),
      },
    ];
    return {
      title: multi ? `Shopping list for ${recipes.length} recipes` : `Scale ${recipes[0]!.name} to ${recipes[0]!.target} servings`,
      instruction,
      workspace: files,
      solution,
      checks,
      rules,
      mutants,
      operations: ['read local text files', 'parse semi-structured text', 'convert units or currencies', 'write structured JSON output'],
      tags: ['recipes', 'cooking'],
    };
  },
};
