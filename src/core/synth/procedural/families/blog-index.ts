/** Content & Domain: build a blog's post index (JSON) from markdown files with front matter. */
import type { CheckInput, Family } from '../family.js';
import { voiced } from '../family.js';
import { addDays, pad2 } from './calendar.js';
import { cmp } from './common.js';
import { q } from './json-path.js';
import { crowd } from './names.js';
import { say, slug } from './phrasing.js';
import { pyOracle } from './py-oracle.js';

const BLOGS: Record<string, { things: string[]; tags: string[] }> = {
  engineering: { things: ['build caching', 'flaky tests', 'database migrations', 'feature flags', 'on-call rotations', 'code review', 'observability', 'monorepos', 'API versioning'], tags: ['devops', 'testing', 'databases', 'culture', 'architecture', 'CI', 'performance'] },
  food: { things: ['sourdough starters', 'weeknight curries', 'fermented hot sauce', 'meal prep', 'cast iron pans', 'seasonal salads', 'homemade pasta', 'knife skills'], tags: ['baking', 'quick', 'vegetarian', 'techniques', 'spicy', 'budget', 'Seasonal'] },
  travel: { things: ['night trains', 'packing light', 'hostel life', 'slow travel', 'travel insurance', 'local markets', 'border crossings', 'rainy season trips'], tags: ['europe', 'asia', 'budget', 'tips', 'rail', 'solo', 'Food'] },
  gardening: { things: ['raised beds', 'composting', 'tomato blight', 'seed saving', 'balcony herbs', 'pruning roses', 'rainwater barrels', 'companion planting'], tags: ['vegetables', 'soil', 'herbs', 'pests', 'beginner', 'water', 'Flowers'] },
};
const TITLES = ['How we tamed {t}', 'A practical guide to {t}', 'Why {t} matters more than you think', '{n} lessons from a year of {t}', 'Getting started with {t}', 'What nobody tells you about {t}', 'The case against {t}', '{T}, revisited'];
const WORDS = 'the a of to and in we it is that for on with this was our you as but at by from not be have one more time when what first then some just like about into after only over most really'.split(' ');
const NOUNS = 'team week plan idea result change problem garden recipe trip setup process lesson mistake budget habit tool season note draft step'.split(' ');

export const blogIndex: Family = {
  id: 'blog-index',
  version: 1,
  category: 'Content & Domain',
  subcategory: 'publishing and content management',
  summary: 'Parse markdown posts with front matter into a sorted JSON index (drafts, scheduled posts, tag normalisation, word counts, reading time).',
  generate(ctx) {
    const { rng, difficulty: d } = ctx;
    const blogKind = rng.pick(Object.keys(BLOGS));
    const blog = BLOGS[blogKind]!;
    const authors = crowd(rng, 3);
    const y = rng.int(2023, 2025);
    const m = rng.int(1, 12);
    const dd = rng.int(1, 28);
    const today = `${y}-${pad2(m)}-${pad2(dd)}`;
    const n = 4 + d * 2 + rng.int(0, 2);
    const dir = rng.pick(['posts', 'content/posts', 'blog/_posts']);
    const files: Record<string, string> = {};
    type Post = { slug: string; title: string; date: string; tags: string[]; draft: boolean; words: number; future: boolean };
    const posts: Post[] = [];
    const usedT = new Set<string>();
    let guard = 0;
    while (posts.length < n && guard++ < 200) {
      const thing = rng.pick(blog.things);
      const title = rng.pick(TITLES).replace('{t}', thing).replace('{T}', thing.charAt(0).toUpperCase() + thing.slice(1)).replace('{n}', String(rng.int(3, 12)));
      const s = slug(title);
      if (usedT.has(s)) continue;
      usedT.add(s);
      const future = posts.length > 0 && d >= 3 && rng.chance(0.15);
      const date = future ? addDays(y, m, dd, rng.int(1, 30)) : addDays(y, m, dd, -rng.int(0, 400));
      const dateS = `${date[0]}-${pad2(date[1])}-${pad2(date[2])}`;
      const draft = posts.length > 0 && d >= 2 && rng.chance(0.2);
      let tags = rng.sample(blog.tags, rng.int(1, 3));
      // Messy tags (d4+): mixed case and duplicates that normalise to the same tag.
      if (d >= 4 && rng.chance(0.5)) tags = [...tags, tags[0]!.toUpperCase()];
      const paras: string[] = [];
      const np = 1 + rng.int(0, d);
      for (let k = 0; k < np; k++) {
        if (k > 0 && rng.chance(0.4)) paras.push(`## ${rng.pick(['Background', 'What we tried', 'Results', 'Next steps', 'Why it matters', 'Tips'])}`);
        const len = rng.int(12, 60);
        const ws: string[] = [];
        for (let w = 0; w < len; w++) ws.push(rng.chance(0.3) ? rng.pick(NOUNS) : rng.pick(WORDS));
        ws[0] = ws[0]!.charAt(0).toUpperCase() + ws[0]!.slice(1);
        paras.push(`${ws.join(' ')}.`);
      }
      const body = paras.join('\n\n') + '\n';
      const words = body.split(/\s+/).filter(Boolean).length;
      const quoted = d >= 5 && rng.chance(0.5);
      const block = d >= 5 && rng.chance(0.5);
      const fm = [
        '---',
        `title: ${quoted ? `"${title}"` : title}`,
        `date: ${dateS}`,
        ...(block ? ['tags:', ...tags.map((t) => `  - ${t}`)] : [`tags: [${tags.join(', ')}]`]),
        `author: ${rng.pick(authors).full}`,
        ...(d >= 2 ? [`draft: ${draft}`] : []),
        '---',
      ];
      files[`${dir}/${s}.md`] = `${fm.join('\n')}\n\n${body}`;
      posts.push({ slug: s, title, date: dateS, tags, draft, words: words, future });
    }
    const published = posts.filter((p) => !p.draft && !p.future).sort((a, b) => cmp(b.date, a.date) || cmp(a.slug, b.slug));
    const normTags = (t: string[]) => [...new Set(t.map((x) => x.toLowerCase()))].sort(cmp);
    const withTags = d >= 3;
    const withRead = d >= 5;
    const out = rng.pick(['site/index.json', 'public/posts.json', 'build/index.json', 'index.json']);
    const tagsOut = 'site/tags.json';
    const fields = ['slug', 'title', 'date', ...(d >= 2 ? ['words'] : []), ...(withTags ? ['tags'] : []), ...(withRead ? ['reading_minutes'] : [])];
    const ask = say(rng, [
      'Our {kind} blog needs a post index. Please build it from the markdown files in `{dir}/`.',
      'Can you generate the JSON index for the {n} posts under `{dir}/`? The static site reads it.',
      'The site generator broke, so I need `{out}` built by hand from `{dir}/*.md`.',
      'Please index the {kind} blog posts in `{dir}/` (front matter + body) for the homepage.',
      'Build me the posts listing for the blog from the files in `{dir}/` — today is {today}.',
    ], { kind: blogKind, dir, n: posts.length, out, today });
    const details = [
      say(rng, [
        '- Each post has YAML front matter between `---` lines (title, date, tags, …); `slug` is the file name without `.md`.',
        '- Read the front matter of every post; the slug is the file name minus the `.md` extension.',
      ]),
    ];
    if (d >= 2) {
      details.push(say(rng, ['- Skip drafts (`draft: true`).', '- Drafts (`draft: true`) are not published — leave them out.']));
      details.push(say(rng, [
        '- `words` = the number of whitespace-separated tokens in the body (everything after the closing `---`), markdown symbols included.',
        '- Count `words` in the body only (after the front matter), splitting on whitespace; `##` counts as a word.',
      ]));
    }
    if (d >= 3) details.push(say(rng, ['- Today is {today}; posts dated later are scheduled, not published yet — leave them out.', '- Anything dated after {today} is scheduled: exclude it.'], { today }));
    if (withTags) details.push(d >= 4
      ? say(rng, ['- `tags`: lowercase, without duplicates, sorted.', '- Normalise tags to lowercase, drop duplicates, sort them.'])
      : say(rng, ['- `tags` as listed in the front matter, sorted alphabetically.', '- Copy the tags, sorted.']));
    if (d >= 4) details.push(say(rng, ['- Also write `{t}`: each (normalised) tag → number of published posts using it.', '- Plus `{t}` mapping every tag of a published post to how many published posts have it.'], { t: tagsOut }));
    if (withRead) details.push(say(rng, ['- `reading_minutes` = words / 200, rounded up.', '- Add `reading_minutes`: ceil(words ÷ 200).']));
    details.push(say(rng, [
      'Write `{out}` as `{"posts": [...]}` with one object per published post holding {f}, newest first (same date: by slug).',
      'Save `{out}`: a `posts` array (fields {f}), sorted by date descending, ties by slug ascending.',
      'Output goes to `{out}` — `{"posts": [{…}]}` where each entry has {f}; order newest → oldest, then slug.',
    ], { out, f: fields.map((f) => `\`${f}\``).join(', ') }));
    const instruction = voiced(ctx, ask, details);
    const solution = pyOracle(`
posts = []
for path in sorted(glob.glob(${JSON.stringify(dir)} + "/*.md")):
    text = open(path, encoding="utf-8").read()
    fm_text, body = text[4:].split("\\n---\\n", 1)
    fm, key = {}, None
    for line in fm_text.splitlines():
        if line.startswith("  - "):
            fm[key].append(line[4:].strip())
            continue
        k, v = line.split(":", 1)
        key, v = k.strip(), v.strip()
        if v.startswith('"') and v.endswith('"'):
            v = v[1:-1]
        elif v.startswith("[") and v.endswith("]"):
            v = [x.strip() for x in v[1:-1].split(",") if x.strip()]
        elif v == "":
            v = []
        fm[key] = v
    if fm.get("draft") == "true" or (${d >= 3 ? 'True' : 'False'} and fm["date"] > ${JSON.stringify(today)}):
        continue
    words = len(body.split())
    e = {"slug": os.path.basename(path)[:-3], "title": fm["title"], "date": fm["date"]}
    if ${d >= 2 ? 'True' : 'False'}:
        e["words"] = words
    if ${withTags ? 'True' : 'False'}:
        e["tags"] = sorted(set(t.lower() for t in fm["tags"])) if ${d >= 4 ? 'True' : 'False'} else sorted(fm["tags"])
    if ${withRead ? 'True' : 'False'}:
        e["reading_minutes"] = -(-words // 200)
    posts.append(e)
posts.sort(key=lambda p: p["slug"])
posts.sort(key=lambda p: p["date"], reverse=True)
out = ${JSON.stringify(out)}
os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
json.dump({"posts": posts}, open(out, "w"), indent=2)
if ${d >= 4 ? 'True' : 'False'}:
    counts = {}
    for p in posts:
        for t in p["tags"]:
            counts[t] = counts.get(t, 0) + 1
    os.makedirs("site", exist_ok=True)
    json.dump(counts, open(${JSON.stringify(tagsOut)}, "w"), indent=2)
`);
    const checks: CheckInput[] = [];
    published.forEach((p, i) => {
      checks.push({ id: `post_${i}_slug`, type: 'json_path', path: out, query: `$.posts[${i}].slug`, equals: p.slug });
      checks.push({ id: `post_${i}_title`, type: 'json_path', path: out, query: `$.posts[${i}].title`, equals: p.title });
      checks.push({ id: `post_${i}_date`, type: 'json_path', path: out, query: `$.posts[${i}].date`, equals: p.date });
      if (d >= 2) checks.push({ id: `post_${i}_words`, type: 'json_path', path: out, query: `$.posts[${i}].words`, equals: p.words });
      if (withTags) checks.push({ id: `post_${i}_tags`, type: 'json_path', path: out, query: `$.posts[${i}].tags`, equals: d >= 4 ? normTags(p.tags) : [...p.tags].sort(cmp) });
      if (withRead) checks.push({ id: `post_${i}_reading`, type: 'json_path', path: out, query: `$.posts[${i}].reading_minutes`, equals: Math.ceil(p.words / 200) });
    });
    checks.push({ id: 'no_extra_posts', type: 'json_path', path: out, query: `$.posts[${published.length}]`, exists: false });
    if (d >= 4) {
      const counts: Record<string, number> = {};
      for (const p of published) for (const t of normTags(p.tags)) counts[t] = (counts[t] ?? 0) + 1;
      for (const [t, c] of Object.entries(counts).sort((a, b) => cmp(a[0], b[0]))) checks.push({ id: `tag_${t}`, type: 'json_path', path: tagsOut, query: q(t), equals: c });
    }
    return {
      title: `Index ${published.length} published posts of the ${blogKind} blog`,
      instruction,
      workspace: files,
      solution,
      checks,
      operations: ['read local text files', 'parse semi-structured text', 'filter records by criteria', 'write structured JSON output'],
      tags: ['blog', 'front-matter'],
    };
  },
};
