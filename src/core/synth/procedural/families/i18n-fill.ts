/** Content & Domain: fill missing UI translations from a translation memory, list what is left, drop obsolete keys. */
import type { Family } from '../family.js';
import { voiced } from '../family.js';
import { cmp } from './common.js';
import { csvText } from './csv.js';
import { q } from './json-path.js';
import { say } from './phrasing.js';
import { pyOracle } from './py-oracle.js';

// key suffix, English, French, German, Spanish
const STRINGS: Array<[string, string, string, string, string]> = [
  ['save', 'Save', 'Enregistrer', 'Speichern', 'Guardar'],
  ['cancel', 'Cancel', 'Annuler', 'Abbrechen', 'Cancelar'],
  ['delete', 'Delete', 'Supprimer', 'Löschen', 'Eliminar'],
  ['edit', 'Edit', 'Modifier', 'Bearbeiten', 'Editar'],
  ['search', 'Search', 'Rechercher', 'Suchen', 'Buscar'],
  ['sign_in', 'Sign in', 'Se connecter', 'Anmelden', 'Iniciar sesión'],
  ['sign_out', 'Sign out', 'Se déconnecter', 'Abmelden', 'Cerrar sesión'],
  ['settings', 'Settings', 'Paramètres', 'Einstellungen', 'Configuración'],
  ['profile', 'Profile', 'Profil', 'Profil', 'Perfil'],
  ['help', 'Help', 'Aide', 'Hilfe', 'Ayuda'],
  ['next', 'Next', 'Suivant', 'Weiter', 'Siguiente'],
  ['back', 'Back', 'Retour', 'Zurück', 'Atrás'],
  ['close', 'Close', 'Fermer', 'Schließen', 'Cerrar'],
  ['loading', 'Loading…', 'Chargement…', 'Wird geladen…', 'Cargando…'],
  ['pay_now', 'Pay now', 'Payer maintenant', 'Jetzt bezahlen', 'Pagar ahora'],
  ['add_to_cart', 'Add to cart', 'Ajouter au panier', 'In den Warenkorb', 'Añadir al carrito'],
  ['checkout', 'Checkout', 'Paiement', 'Kasse', 'Pagar'],
  ['order_total', 'Order total', 'Total de la commande', 'Gesamtbetrag', 'Total del pedido'],
  ['forgot_password', 'Forgot your password?', 'Mot de passe oublié ?', 'Passwort vergessen?', '¿Olvidaste tu contraseña?'],
  ['welcome_back', 'Welcome back, {name}!', 'Bon retour, {name} !', 'Willkommen zurück, {name}!', '¡Hola de nuevo, {name}!'],
  ['items_in_cart', '{count} items in your cart', '{count} articles dans votre panier', '{count} Artikel im Warenkorb', '{count} artículos en tu carrito'],
  ['no_results', 'No results found', 'Aucun résultat', 'Keine Ergebnisse gefunden', 'No se encontraron resultados'],
  ['try_again', 'Try again', 'Réessayer', 'Erneut versuchen', 'Intentar de nuevo'],
  ['unsaved_changes', 'You have unsaved changes', 'Vous avez des modifications non enregistrées', 'Sie haben ungespeicherte Änderungen', 'Tienes cambios sin guardar'],
  ['email_address', 'Email address', 'Adresse e-mail', 'E-Mail-Adresse', 'Correo electrónico'],
  ['notifications', 'Notifications', 'Notifications', 'Benachrichtigungen', 'Notificaciones'],
  ['upload_file', 'Upload a file', 'Téléverser un fichier', 'Datei hochladen', 'Subir un archivo'],
  ['last_updated', 'Last updated {date}', 'Dernière mise à jour le {date}', 'Zuletzt aktualisiert am {date}', 'Última actualización: {date}'],
];
const LANGS = { fr: 2, de: 3, es: 4 } as const;
type Lang = keyof typeof LANGS;
const SCREENS = ['common', 'auth', 'cart', 'account', 'search', 'dashboard', 'settings'];
const APPS = ['the booking app', 'our web shop', 'the mobile banking app', 'the help center', 'the school portal', 'the fitness tracker'];

export const i18nFill: Family = {
  id: 'i18n-fill',
  version: 1,
  category: 'Content & Domain',
  subcategory: 'translation and localization',
  summary: 'Fill missing keys of locale JSON files from a translation-memory CSV, list untranslatable keys, remove obsolete ones.',
  domains: ['content', 'software'],
  generate(ctx) {
    const { rng, difficulty: d } = ctx;
    const app = rng.pick(APPS);
    const langs = rng.sample(Object.keys(LANGS) as Lang[], d >= 4 ? 2 : 1).sort(cmp);
    const picked = rng.sample(STRINGS, 8 + d * 3);
    const entries = picked.map((s) => ({ key: `${rng.pick(SCREENS)}.${s[0]}`, s }));
    // Unique keys.
    const seenK = new Set<string>();
    const uniq = entries.filter((e) => (seenK.has(e.key) ? false : (seenK.add(e.key), true)));
    const en: Record<string, string> = Object.fromEntries(uniq.map((e) => [e.key, e.s[1]]));
    const files: Record<string, string> = {};
    const dir = rng.pick(['locales', 'src/i18n', 'public/locales']);
    const sortObj = (o: Record<string, string>) => Object.fromEntries(Object.entries(o).sort((a, b) => cmp(a[0], b[0])));
    files[`${dir}/en.json`] = JSON.stringify(sortObj(en), null, 2) + '\n';
    const tm: Array<Array<string>> = [];
    const truth: Record<string, { filled: Record<string, string>; todo: string[]; obsolete: string[]; kept: Record<string, string> }> = {};
    const approved = d >= 5;
    for (const lang of langs) {
      const col = LANGS[lang];
      const shuffled = rng.shuffle(uniq);
      const nMissing = Math.max(2, Math.floor(uniq.length * (0.3 + 0.05 * d)));
      const missing = shuffled.slice(0, nMissing);
      const present = shuffled.slice(nMissing);
      const t: Record<string, string> = Object.fromEntries(present.map((e) => [e.key, e.s[col]]));
      const filled: Record<string, string> = {};
      const todo: string[] = [];
      missing.forEach((e, i) => {
        const inTm = i === 0 || (d >= 2 ? rng.chance(0.65) : true);
        if (inTm) {
          filled[e.key] = e.s[col];
          if (approved && rng.chance(0.4)) tm.push([lang, e.s[1], `${e.s[col]} (old)`, 'no']);
          tm.push([lang, e.s[1], e.s[col], ...(approved ? ['yes'] : [])]);
        } else todo.push(e.key);
      });
      // Some memory entries for strings that are already translated, and for other languages (noise).
      for (const e of rng.sample(present, 2)) tm.push([lang, e.s[1], e.s[col], ...(approved ? ['yes'] : [])]);
      const obsolete: string[] = [];
      if (d >= 3) {
        for (const s of rng.sample(STRINGS.filter((x) => !picked.includes(x)), 1 + (d >= 5 ? 1 : 0))) {
          const k = `${rng.pick(['legacy', 'old', 'beta'])}.${s[0]}`;
          t[k] = s[col];
          obsolete.push(k);
        }
      }
      files[`${dir}/${lang}.json`] = JSON.stringify(sortObj(t), null, 2) + '\n';
      truth[lang] = { filled, todo: todo.sort(cmp), obsolete, kept: Object.fromEntries(present.map((e) => [e.key, e.s[col]])) };
    }
    // Translations of missing strings into a language we are not doing (must not be used for ours).
    const other = (Object.keys(LANGS) as Lang[]).find((l) => !langs.includes(l))!;
    for (const lang of langs) for (const k of truth[lang]!.todo) {
      const e = uniq.find((x) => x.key === k)!;
      if (rng.chance(0.6)) tm.push([other, e.s[1], e.s[LANGS[other]], ...(approved ? ['yes'] : [])]);
    }
    const tmPath = rng.pick(['i18n/translation_memory.csv', 'tm/memory.csv', 'translations/tm_export.csv']);
    files[tmPath] = csvText(['lang', 'source', 'target', ...(approved ? ['approved'] : [])], rng.shuffle(tm));
    const todoPath = (l: string) => `${dir}/${l}.todo.txt`;
    const langNames: Record<string, string> = { fr: 'French', de: 'German', es: 'Spanish' };
    const langText = langs.map((l) => `${langNames[l]} (\`${dir}/${l}.json\`)`).join(' and ');
    const ask = say(rng, [
      'The {langs} strings for {app} are incomplete. Please fill the gaps using our translation memory `{tm}`.',
      'We are shipping {app} in {langs} next week — can you fill in the missing keys from `{tm}`?',
      'Some UI strings in {langs} are missing compared to `{dir}/en.json`. Use `{tm}` to fill what you can.',
      'Could you sync {langs} with the English source (`{dir}/en.json`, {n} keys) using the memory in `{tm}`?',
      'Localization clean-up for {app}: {langs} need to catch up with English. The TM export is `{tm}`.',
    ], { langs: langText, app, tm: tmPath, dir, n: uniq.length });
    const details = [
      say(rng, [
        '- For every key in `en.json` that is missing from a locale, look up the English text in the memory (same `lang`, `source` equal to the English string) and add the `target`.',
        '- A missing key gets the memory\'s `target` for its English text (match `source` exactly, and the right `lang`).',
        '- Fill a missing key only when the TM has an entry whose `source` is exactly the English value and whose `lang` is that locale.',
      ]),
      say(rng, ['- Keep existing translations as they are; keep placeholders like `{name}` intact.', '- Do not change strings that are already translated.']),
    ];
    if (approved) details.push(say(rng, ['- Only use memory rows with `approved` = `yes`.', '- Ignore unapproved memory entries (`approved` is `no`).']));
    if (d >= 2) details.push(say(rng, [
      '- Keys you cannot fill stay out of the locale file; list them in `{dir}/<lang>.todo.txt`, one key per line, sorted.',
      '- Anything the memory does not cover: leave it missing and write its key to `{dir}/<lang>.todo.txt` (sorted, one per line).',
    ], { dir }));
    if (d >= 3) details.push(say(rng, ['- Remove keys that no longer exist in `en.json`.', '- Delete obsolete keys (present in the locale but not in English).']));
    details.push(say(rng, ['Keep the files as valid JSON (UTF-8).', 'Write the locale files back in place as JSON.', 'Save the updated JSON files where they are.']));
    const instruction = voiced(ctx, ask, details);
    const solution = pyOracle(`
d = ${JSON.stringify(dir)}
en = json.load(open(d + "/en.json", encoding="utf-8"))
tm = {}
for r in csv.DictReader(open(${JSON.stringify(tmPath)}, encoding="utf-8")):
    if r.get("approved", "yes") != "yes":
        continue
    tm[(r["lang"], r["source"])] = r["target"]
for lang in ${JSON.stringify(langs)}:
    p = d + "/" + lang + ".json"
    loc = json.load(open(p, encoding="utf-8"))
    todo = []
    for k, v in en.items():
        if k in loc:
            continue
        if (lang, v) in tm:
            loc[k] = tm[(lang, v)]
        else:
            todo.append(k)
    if ${d >= 3 ? 'True' : 'False'}:
        loc = {k: v for k, v in loc.items() if k in en}
    json.dump(dict(sorted(loc.items())), open(p, "w", encoding="utf-8"), indent=2, ensure_ascii=False)
    if ${d >= 2 ? 'True' : 'False'}:
        open(d + "/" + lang + ".todo.txt", "w").write("".join(k + "\\n" for k in sorted(todo)))
`);
    const checks = langs.flatMap((lang) => {
      const t = truth[lang]!;
      const p = `${dir}/${lang}.json`;
      return [
        ...Object.entries(t.filled).map(([k, v]) => ({ id: `${lang}_filled_${k}`, type: 'json_path' as const, path: p, query: q(k), equals: v })),
        ...t.obsolete.map((k) => ({ id: `${lang}_removed_${k}`, type: 'json_path' as const, path: p, query: q(k), exists: false })),
        ...(d >= 2 ? [{ id: `${lang}_todo`, type: 'text_equals' as const, path: todoPath(lang), text: t.todo.map((k) => `${k}\n`).join('') }] : []),
        // Hold on the untouched workspace as well: reported, not scored.
        ...Object.entries(t.kept).slice(0, 3).map(([k, v]) => ({ id: `${lang}_kept_${k}`, type: 'json_path' as const, path: p, query: q(k), equals: v, weight: 0 })),
        ...t.todo.map((k) => ({ id: `${lang}_not_invented_${k}`, type: 'json_path' as const, path: p, query: q(k), exists: false, weight: 0 })),
      ];
    });
    return {
      title: `Fill missing ${langs.map((l) => langNames[l]).join(' and ')} UI strings`,
      instruction,
      workspace: files,
      solution,
      checks: [...checks, { id: 'en_untouched', type: 'file_unchanged', path: `${dir}/en.json`, weight: 0 }],
      operations: ['read and parse JSON', 'look up values in reference data', 'edit files in place', 'write structured JSON output'],
      tags: ['i18n'],
    };
  },
};
