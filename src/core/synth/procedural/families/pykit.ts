/**
 * A catalog of tiny, real Python projects (standard library only, unittest tests) for the Software
 * Dev families: each function carries alternative names (for renames), test cases with their
 * expected values, and realistic bugs (for bug fixing and for mutation-scored test writing).
 * Sources are templates: `$slot` is a function's chosen name, `$pkg` the package name.
 */
import type { Rng } from '../../../rng.js';
import { pad2 } from './calendar.js';
import { crowd } from './names.js';

export interface PyCase {
  /** Python expressions, one per positional argument. */
  args: string[];
  /** A Python expression for the expected return value. */
  expect: string;
}

/** A realistic slip: `from` (exactly once in the function's source) becomes `to`. Every bug fails some shown case. */
export interface PyBug {
  id: string;
  from: string;
  to: string;
}

export interface PyFunc {
  slot: string;
  /** Candidate identifiers; any two make a plausible rename. */
  names: readonly string[];
  module: string;
  /** The whole `def`, with `$slot` references. */
  src: string;
  cases: PyCase[];
  /** How many cases the workspace's tests show; the rest only the hidden check runs. */
  shown: number;
  /** Argument lists that must raise ValueError. */
  raises?: string[][];
  bugs: PyBug[];
}

export interface PyProject {
  id: string;
  packages: readonly string[];
  blurb: string;
  modules: Record<string, { doc: string; head?: string }>;
  funcs: PyFunc[];
  /** Modules that call the functions (module stem → source). */
  callers: Record<string, string>;
  /** Tests of the callers: file stem → source. */
  callerTests: Record<string, string>;
  cli: string;
  /** A README usage example (Python). */
  usage: string;
  testImports?: string;
}

const f = (slot: string, names: string[], module: string, src: string, shown: number, cases: Array<[string[], string]>, bugs: Array<[string, string]>, raises?: string[][]): PyFunc => ({
  slot,
  names,
  module,
  src: src.trim(),
  shown,
  cases: cases.map(([args, expect]) => ({ args, expect })),
  bugs: bugs.map(([from, to], i) => ({ id: `${slot}-${i + 1}`, from, to })),
  raises,
});

const BILLING: PyProject = {
  id: 'billing',
  packages: ['billing', 'invoicer', 'ledgerkit', 'paydesk', 'invoicing', 'billkit', 'tillroll', 'centwise'],
  blurb: 'Small invoice helpers used by the month-end scripts. Amounts are whole cents.',
  modules: {
    pricing: { doc: 'Pricing rules for invoices. All amounts are whole cents.' },
    money: { doc: 'Turning cents into text and sharing amounts out.' },
  },
  funcs: [
    f('line_total', ['line_total', 'calc_line_total', 'line_amount', 'compute_line'], 'pricing', String.raw`
def $line_total(qty, unit_cents):
    """Price of one invoice line: quantity times unit price. A negative quantity raises ValueError."""
    if qty < 0:
        raise ValueError("quantity cannot be negative")
    return qty * unit_cents
`, 2, [[['3', '1250'], '3750'], [['0', '999'], '0'], [['7', '15'], '105']], [['if qty < 0:', 'if qty <= 0:']], [['-1', '100']]),
    f('apply_discount', ['apply_discount', 'discount_price', 'net_of_discount', 'with_discount'], 'pricing', String.raw`
def $apply_discount(amount_cents, percent):
    """Amount after a percentage discount, rounded half up to whole cents (0 <= percent <= 100)."""
    if percent < 0 or percent > 100:
        raise ValueError("percent must be between 0 and 100")
    return (amount_cents * (100 - percent) + 50) // 100
`, 3, [[['995', '10'], '896'], [['2500', '100'], '0'], [['1000', '0'], '1000'], [['1999', '15'], '1699']], [['percent > 100', 'percent >= 100'], ['(100 - percent) + 50) // 100', '(100 - percent)) // 100']], [['100', '101'], ['100', '-5']]),
    f('tax_for', ['tax_for', 'calc_tax', 'tax_amount', 'compute_tax'], 'pricing', String.raw`
def $tax_for(amount_cents, rate_bp):
    """Tax on an amount at a rate in basis points (825 means 8.25%), rounded half up to whole cents."""
    return (amount_cents * rate_bp + 5000) // 10000
`, 3, [[['10000', '825'], '825'], [['1999', '825'], '165'], [['0', '700'], '0'], [['150', '2000'], '30']], [['rate_bp + 5000) // 10000', 'rate_bp) // 10000'], ['// 10000', '// 1000']]),
    f('invoice_total', ['invoice_total', 'calc_invoice', 'total_due', 'amount_due'], 'pricing', String.raw`
def $invoice_total(lines, discount_pct=0, rate_bp=0):
    """Total due for (qty, unit_cents) lines: subtotal, then the discount, then tax on the discounted amount."""
    subtotal = sum($line_total(qty, unit) for qty, unit in lines)
    net = $apply_discount(subtotal, discount_pct)
    return net + $tax_for(net, rate_bp)
`, 2, [[['[(2, 1250), (1, 499)]', '10', '825'], '2922'], [['[(3, 100)]'], '300'], [['[(1, 10000)]', '0', '825'], '10825']], [['$tax_for(net, rate_bp)', '$tax_for(subtotal, rate_bp)']]),
    f('format_cents', ['format_cents', 'cents_to_str', 'fmt_amount', 'render_cents'], 'money', String.raw`
def $format_cents(cents):
    """Cents as a decimal string with two places: 1205 gives "12.05", -7 gives "-0.07"."""
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(abs(cents), 100)
    return f"{sign}{whole}.{frac:02d}"
`, 3, [[['1205'], '"12.05"'], [['-7'], '"-0.07"'], [['0'], '"0.00"'], [['100000'], '"1000.00"']], [['if cents < 0', 'if cents <= 0'], ['{frac:02d}', '{frac}']]),
    f('split_evenly', ['split_evenly', 'split_amount', 'even_shares', 'allocate_evenly'], 'money', String.raw`
def $split_evenly(total_cents, parts):
    """Split an amount into 'parts' shares that differ by at most one cent; earlier shares get the extra cents."""
    if parts <= 0:
        raise ValueError("parts must be positive")
    base, extra = divmod(total_cents, parts)
    return [base + 1 if i < extra else base for i in range(parts)]
`, 3, [[['100', '3'], '[34, 33, 33]'], [['99', '3'], '[33, 33, 33]'], [['101', '3'], '[34, 34, 33]'], [['5', '1'], '[5]']], [['if i < extra', 'if i <= extra'], ['if parts <= 0', 'if parts < 0']], [['10', '0']]),
  ],
  callers: {
    report: String.raw`
"""Monthly statement lines."""
from .money import $format_cents, $split_evenly
from .pricing import $invoice_total


def statement_line(customer, lines, discount_pct=0, rate_bp=0):
    """One statement line: the customer and what they owe."""
    due = $invoice_total(lines, discount_pct, rate_bp)
    return customer + ": " + $format_cents(due)


def share_line(customer, total_cents, people):
    """How a bill is shared between people, as text."""
    return customer + ": " + ", ".join($format_cents(c) for c in $split_evenly(total_cents, people))
`,
  },
  callerTests: {
    report: String.raw`
"""Tests for $pkg.report."""
import unittest

from $pkg.report import share_line, statement_line


class StatementTest(unittest.TestCase):
    def test_statement_line(self):
        self.assertEqual(statement_line("Acme", [(2, 1250), (1, 499)], 10, 825), "Acme: 29.22")

    def test_share_line(self):
        self.assertEqual(share_line("Team lunch", 1000, 3), "Team lunch: 3.34, 3.33, 3.33")


if __name__ == "__main__":
    unittest.main()
`,
  },
  cli: String.raw`
"""Command line: python3 -m $pkg.cli 3x1250 2x499 --discount 10 --tax-bp 825"""
import argparse

from . import money, pricing


def parse_line(text):
    qty, _, unit = text.partition("x")
    return int(qty), int(unit)


def main(argv=None):
    ap = argparse.ArgumentParser(description="Total an invoice given QTYxUNIT_CENTS lines.")
    ap.add_argument("lines", nargs="+")
    ap.add_argument("--discount", type=int, default=0)
    ap.add_argument("--tax-bp", type=int, default=0)
    args = ap.parse_args(argv)
    total = pricing.$invoice_total([parse_line(t) for t in args.lines], args.discount, args.tax_bp)
    print(money.$format_cents(total))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
`,
  usage: String.raw`
from $pkg.money import $format_cents
from $pkg.pricing import $invoice_total

print($format_cents($invoice_total([(2, 1250), (1, 499)], discount_pct=10, rate_bp=825)))
`,
};

const TEXTKIT: PyProject = {
  id: 'textkit',
  packages: ['textkit', 'strutil', 'wordsmith', 'inkwell', 'copydesk', 'typeset', 'textops', 'proseutil'],
  blurb: 'String helpers for the publishing pipeline: slugs, teasers, headings.',
  modules: {
    slugs: { doc: 'URL slugs and short name forms.' },
    words: { doc: 'Word-level helpers for teasers and headings.', head: 'SMALL_WORDS = {"a", "an", "and", "at", "by", "for", "in", "of", "on", "or", "the", "to"}' },
  },
  funcs: [
    f('slugify', ['slugify', 'make_slug', 'to_slug', 'url_slug'], 'slugs', String.raw`
def $slugify(text):
    """Lower-case text, keep letters and digits, and join the runs between them with single hyphens."""
    out = []
    for ch in text.lower():
        if ch.isalnum():
            out.append(ch)
        elif out and out[-1] != "-":
            out.append("-")
    return "".join(out).strip("-")
`, 3, [[['"Hello, World!"'], '"hello-world"'], [['"  Q3 report (final)  "'], '"q3-report-final"'], [['"already-slugged"'], '"already-slugged"'], [['"Ends with dots..."'], '"ends-with-dots"']], [['elif out and out[-1] != "-":', 'else:'], ['"".join(out).strip("-")', '"".join(out)']]),
    f('initials', ['initials', 'name_initials', 'make_initials', 'abbreviate_name'], 'slugs', String.raw`
def $initials(name):
    """Upper-case first letters with dots, e.g. "Jean-Luc Picard" gives "J.L.P."; hyphenated parts count as names."""
    return "".join(part[0].upper() + "." for part in name.replace("-", " ").split())
`, 2, [[['"Jean-Luc Picard"'], '"J.L.P."'], [['"ada lovelace"'], '"A.L."'], [['"Cher"'], '"C."']], [['name.replace("-", " ").split()', 'name.split()'], ['part[0].upper() + "."', 'part[0] + "."']]),
    f('truncate_words', ['truncate_words', 'clip_words', 'first_words', 'trim_words'], 'words', String.raw`
def $truncate_words(text, limit):
    """At most 'limit' words of text, joined by single spaces; "..." is appended only when words were cut."""
    words = text.split()
    if len(words) <= limit:
        return " ".join(words)
    return " ".join(words[:limit]) + "..."
`, 2, [[['"one two three"', '3'], '"one two three"'], [['"one two three four"', '2'], '"one two..."'], [['"  spaced   out  "', '5'], '"spaced out"']], [['if len(words) <= limit:', 'if len(words) < limit:'], ['words[:limit]', 'words[:limit - 1]']]),
    f('word_count', ['word_count', 'count_words', 'word_frequencies', 'tally_words'], 'words', String.raw`
def $word_count(text):
    """How often each word occurs, case-insensitively, ignoring punctuation around words."""
    counts = {}
    for raw in text.split():
        word = raw.strip(".,;:!?\"'()").lower()
        if word:
            counts[word] = counts.get(word, 0) + 1
    return counts
`, 2, [[['"Go! go, GO ..."'], '{"go": 3}'], [['"The cat and the hat."'], '{"the": 2, "cat": 1, "and": 1, "hat": 1}'], [['"(yes) yes"'], '{"yes": 2}']], [['.strip(".,;:!?\\"\'()").lower()', '.strip(".,;:!?\\"\'()")'], ['if word:', 'if word is not None:']]),
    f('title_case', ['title_case', 'titlecase', 'headline_case', 'to_title'], 'words', String.raw`
def $title_case(text):
    """Capitalise each word, except small words (a, of, the, ...) that are not the first word."""
    out = []
    for i, word in enumerate(text.split()):
        lower = word.lower()
        if i > 0 and lower in SMALL_WORDS:
            out.append(lower)
        else:
            out.append(lower[:1].upper() + lower[1:])
    return " ".join(out)
`, 2, [[['"the lord of the rings"'], '"The Lord of the Rings"'], [['"A TALE of two CITIES"'], '"A Tale of Two Cities"'], [['"war and peace"'], '"War and Peace"']], [['if i > 0 and lower in SMALL_WORDS:', 'if lower in SMALL_WORDS:'], ['lower[:1].upper() + lower[1:]', 'word[:1].upper() + word[1:]']]),
  ],
  callers: {
    cards: String.raw`
"""Front-page cards built from raw titles and summaries."""
from .slugs import $slugify
from .words import $title_case, $truncate_words


def card(title, summary, limit=12):
    """A card for the front page: display title, URL slug and a short teaser."""
    return {"title": $title_case(title), "slug": $slugify(title), "teaser": $truncate_words(summary, limit)}
`,
  },
  callerTests: {
    cards: String.raw`
"""Tests for $pkg.cards."""
import unittest

from $pkg.cards import card


class CardTest(unittest.TestCase):
    def test_card(self):
        got = card("the art of war", "one two three four five", limit=3)
        self.assertEqual(got, {"title": "The Art of War", "slug": "the-art-of-war", "teaser": "one two three..."})


if __name__ == "__main__":
    unittest.main()
`,
  },
  cli: String.raw`
"""Command line: python3 -m $pkg.cli slug|title|count TEXT"""
import sys

from .slugs import $slugify
from .words import $title_case, $word_count


def main(argv=None):
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2 or args[0] not in ("slug", "title", "count"):
        print("usage: python3 -m $pkg.cli slug|title|count TEXT", file=sys.stderr)
        return 2
    cmd, text = args
    if cmd == "slug":
        print($slugify(text))
    elif cmd == "title":
        print($title_case(text))
    else:
        for word, n in sorted($word_count(text).items()):
            print(word + "\t" + str(n))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
`,
  usage: String.raw`
from $pkg.slugs import $slugify
from $pkg.words import $title_case

print($slugify("Hello, World!"), $title_case("the lord of the rings"))
`,
};

const TIMEUTIL: PyProject = {
  id: 'timeutil',
  packages: ['timeutil', 'schedkit', 'clockwork', 'rostering', 'timekit', 'bookable', 'shiftplan', 'hourglass'],
  blurb: 'Time helpers for the booking service: durations, working days and clock slots.',
  modules: {
    durations: { doc: 'Durations written like "1h30m", and back.', head: 'import re\n\nUNIT_SECONDS = {"h": 3600, "m": 60, "s": 1}' },
    workdays: { doc: 'Counting working days.', head: 'from datetime import timedelta' },
    slots: { doc: 'Clock times and overlapping slots.' },
  },
  testImports: 'from datetime import date',
  funcs: [
    f('parse_duration', ['parse_duration', 'duration_seconds', 'to_seconds', 'parse_span'], 'durations', String.raw`
def $parse_duration(text):
    """Seconds in a duration such as "1h30m", "45m", "2h" or "90s"; other characters are ignored."""
    total = 0
    for amount, unit in re.findall(r"(\d+)([hms])", text):
        total += int(amount) * UNIT_SECONDS[unit]
    return total
`, 3, [[['"1h30m"'], '5400'], [['"45m"'], '2700'], [['"90s"'], '90'], [['"2h 5m 10s"'], '7510']], [['r"(\\d+)([hms])"', 'r"(\\d)([hms])"']]),
    f('format_duration', ['format_duration', 'human_duration', 'fmt_duration', 'duration_label'], 'durations', String.raw`
def $format_duration(seconds):
    """Whole minutes of a duration as text: "1h 05m" from one hour up, else "45m"."""
    hours, rest = divmod(seconds, 3600)
    minutes = rest // 60
    if hours:
        return f"{hours}h {minutes:02d}m"
    return f"{minutes}m"
`, 2, [[['3900'], '"1h 05m"'], [['2700'], '"45m"'], [['7260'], '"2h 01m"'], [['59'], '"0m"']], [['minutes = rest // 60', 'minutes = rest % 60'], ['{minutes:02d}m', '{minutes}m']]),
    f('business_days_between', ['business_days_between', 'count_workdays', 'workdays_between', 'weekdays_between'], 'workdays', String.raw`
def $business_days_between(start, end):
    """Monday-to-Friday days from start (included) to end (excluded)."""
    days = 0
    current = start
    while current < end:
        if current.weekday() < 5:
            days += 1
        current += timedelta(days=1)
    return days
`, 2, [[['date(2024, 3, 1)', 'date(2024, 3, 11)'], '6'], [['date(2024, 3, 2)', 'date(2024, 3, 4)'], '0'], [['date(2024, 3, 4)', 'date(2024, 3, 4)'], '0']], [['if current.weekday() < 5:', 'if current.weekday() <= 5:'], ['while current < end:', 'while current <= end:']]),
    f('add_business_days', ['add_business_days', 'add_workdays', 'shift_workdays', 'workday_after'], 'workdays', String.raw`
def $add_business_days(start, n):
    """The date n working days after start, skipping weekends; a negative n raises ValueError."""
    if n < 0:
        raise ValueError("n must not be negative")
    current = start
    while n > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            n -= 1
    return current
`, 2, [[['date(2024, 3, 1)', '1'], 'date(2024, 3, 4)'], [['date(2024, 3, 4)', '5'], 'date(2024, 3, 11)'], [['date(2024, 3, 6)', '0'], 'date(2024, 3, 6)']], [['if current.weekday() < 5:', 'if current.weekday() < 6:'], ['if n < 0:', 'if n < -1:']], [['date(2024, 3, 1)', '-1']]),
    f('to_minutes', ['to_minutes', 'clock_minutes', 'parse_hhmm', 'minutes_of_day'], 'slots', String.raw`
def $to_minutes(hhmm):
    """Minutes since midnight for "HH:MM" (00:00 to 23:59); anything else raises ValueError."""
    hours, minutes = (int(part) for part in hhmm.split(":"))
    if not (0 <= hours < 24 and 0 <= minutes < 60):
        raise ValueError("bad time: " + hhmm)
    return hours * 60 + minutes
`, 2, [[['"09:30"'], '570'], [['"00:00"'], '0'], [['"23:59"'], '1439']], [['0 <= hours < 24', '0 <= hours <= 24'], ['0 <= minutes < 60', '0 <= minutes <= 60']], [['"24:00"'], ['"12:60"']]),
    f('overlaps', ['overlaps', 'ranges_overlap', 'slots_clash', 'is_overlapping'], 'slots', String.raw`
def $overlaps(a_start, a_end, b_start, b_end):
    """Whether two half-open ranges [start, end) share any time; ranges that only touch do not."""
    return a_start < b_end and b_start < a_end
`, 3, [[['540', '600', '600', '660'], 'False'], [['540', '600', '599', '660'], 'True'], [['600', '660', '540', '600'], 'False'], [['540', '700', '560', '580'], 'True']], [['a_start < b_end', 'a_start <= b_end'], ['b_start < a_end', 'b_start <= a_end']]),
  ],
  callers: {
    agenda: String.raw`
"""Agenda helpers for the booking page."""
from .durations import $format_duration
from .slots import $overlaps, $to_minutes


def clashes(meetings):
    """Pairs of meeting titles whose HH:MM ranges overlap, in input order."""
    found = []
    for i, (a, a_start, a_end) in enumerate(meetings):
        for b, b_start, b_end in meetings[i + 1:]:
            if $overlaps($to_minutes(a_start), $to_minutes(a_end), $to_minutes(b_start), $to_minutes(b_end)):
                found.append((a, b))
    return found


def length_label(start, end):
    """How long a meeting from start to end (HH:MM) lasts, as text."""
    return $format_duration(($to_minutes(end) - $to_minutes(start)) * 60)
`,
  },
  callerTests: {
    agenda: String.raw`
"""Tests for $pkg.agenda."""
import unittest

from $pkg.agenda import clashes, length_label


class AgendaTest(unittest.TestCase):
    def test_clashes(self):
        day = [("standup", "09:00", "09:15"), ("review", "09:15", "10:00"), ("sync", "09:45", "10:15")]
        self.assertEqual(clashes(day), [("review", "sync")])

    def test_length_label(self):
        self.assertEqual(length_label("09:00", "10:05"), "1h 05m")


if __name__ == "__main__":
    unittest.main()
`,
  },
  cli: String.raw`
"""Command line: python3 -m $pkg.cli 1h30m 45m prints the total, here 2h 15m."""
import sys

from .durations import $format_duration, $parse_duration


def main(argv=None):
    args = sys.argv[1:] if argv is None else argv
    print($format_duration(sum($parse_duration(a) for a in args)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
`,
  usage: String.raw`
from datetime import date

from $pkg.durations import $parse_duration
from $pkg.workdays import $business_days_between

print($parse_duration("1h30m"), $business_days_between(date(2024, 3, 1), date(2024, 3, 11)))
`,
};

const METRICS: PyProject = {
  id: 'metrics',
  packages: ['metrics', 'statkit', 'stocklib', 'dashcalc', 'opsmetrics', 'kpikit', 'tallyho', 'numbercrunch'],
  blurb: 'Number crunching behind the weekly operations dashboard.',
  modules: {
    series: { doc: 'Time-series helpers for the weekly dashboard.' },
    summary: { doc: 'Summary numbers.' },
    stock: { doc: 'Reorder maths for the stock room.' },
  },
  funcs: [
    f('moving_average', ['moving_average', 'rolling_mean', 'sliding_average', 'window_means'], 'series', String.raw`
def $moving_average(values, window):
    """Average of each run of 'window' consecutive values; len(values) - window + 1 results."""
    if window <= 0:
        raise ValueError("window must be positive")
    return [sum(values[i - window + 1:i + 1]) / window for i in range(window - 1, len(values))]
`, 2, [[['[1, 2, 3, 4]', '2'], '[1.5, 2.5, 3.5]'], [['[2, 4, 6]', '3'], '[4.0]'], [['[5]', '1'], '[5.0]']], [['range(window - 1, len(values))', 'range(window, len(values))'], ['if window <= 0:', 'if window < 0:']], [['[1, 2]', '0']]),
    f('percent_change', ['percent_change', 'pct_change', 'growth_pct', 'relative_change'], 'series', String.raw`
def $percent_change(old, new):
    """Change from old to new in percent of old, rounded to one decimal; old == 0 raises ValueError."""
    if old == 0:
        raise ValueError("old value is zero")
    return round((new - old) / old * 100, 1)
`, 3, [[['80', '100'], '25.0'], [['200', '150'], '-25.0'], [['3', '4'], '33.3'], [['40', '50'], '25.0']], [['(new - old) / old * 100', '(new - old) / new * 100'], ['* 100, 1)', '* 100, 2)']], [['0', '5']]),
    f('bucketize', ['bucketize', 'bin_counts', 'bucket_counts', 'tally_buckets'], 'series', String.raw`
def $bucketize(values, width):
    """Counts per bucket [k*width, (k+1)*width), keyed by each bucket's lower bound, in ascending order."""
    buckets = {}
    for v in values:
        start = (v // width) * width
        buckets[start] = buckets.get(start, 0) + 1
    return dict(sorted(buckets.items()))
`, 2, [[['[1, 9, 10, 14, 25]', '10'], '{0: 2, 10: 2, 20: 1}'], [['[5, 5, 5]', '5'], '{5: 3}'], [['[]', '10'], '{}']], [['(v // width) * width', 'round(v / width) * width']]),
    f('median', ['median', 'median_of', 'middle_value', 'compute_median'], 'summary', String.raw`
def $median(values):
    """The middle value (the mean of the two middle ones for an even count); no values raises ValueError."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[mid]
    return (ordered[mid - 1] + ordered[mid]) / 2
`, 2, [[['[3, 1, 2]'], '2'], [['[4, 1, 3, 2]'], '2.5'], [['[7]'], '7']], [['ordered = sorted(values)', 'ordered = list(values)'], ['(ordered[mid - 1] + ordered[mid]) / 2', '(ordered[mid] + ordered[mid + 1]) / 2']], [['[]']]),
    f('clamp', ['clamp', 'bounded', 'limit_to', 'clip_value'], 'summary', String.raw`
def $clamp(value, low, high):
    """The value limited to the range [low, high]; low > high raises ValueError."""
    if low > high:
        raise ValueError("low is above high")
    return max(low, min(value, high))
`, 4, [[['5', '0', '10'], '5'], [['-3', '0', '10'], '0'], [['12', '0', '10'], '10'], [['4', '3', '3'], '3'], [['10', '0', '10'], '10']], [['min(value, high)', 'min(value, low)'], ['if low > high:', 'if low >= high:']], [['1', '5', '0']]),
    f('reorder_quantity', ['reorder_quantity', 'units_to_order', 'reorder_qty', 'order_amount'], 'stock', String.raw`
def $reorder_quantity(on_hand, daily_usage, lead_days, safety_stock=0):
    """Units to order so stock covers usage over the lead time plus the safety stock; never negative."""
    needed = daily_usage * lead_days + safety_stock
    return max(0, needed - on_hand)
`, 2, [[['10', '3', '5', '4'], '9'], [['50', '3', '5', '4'], '0'], [['0', '2', '7'], '14']], [['max(0, needed - on_hand)', '(needed - on_hand)'], ['lead_days + safety_stock', 'lead_days - safety_stock']]),
  ],
  callers: {
    dashboard: String.raw`
"""Numbers for the weekly dashboard."""
from .series import $moving_average, $percent_change
from .stock import $reorder_quantity
from .summary import $median


def weekly_card(daily):
    """Headline numbers for the last seven daily values (oldest first)."""
    week = daily[-7:]
    return {"middle": $median(week), "trend": $moving_average(week, 3)[-1], "change": $percent_change(week[0], week[-1])}


def orders(items):
    """(sku, units) for every (sku, on_hand, usage, lead_days) item that needs reordering, by SKU."""
    out = []
    for sku, on_hand, usage, lead in sorted(items):
        qty = $reorder_quantity(on_hand, usage, lead)
        if qty:
            out.append((sku, qty))
    return out
`,
  },
  callerTests: {
    dashboard: String.raw`
"""Tests for $pkg.dashboard."""
import unittest

from $pkg.dashboard import orders, weekly_card


class DashboardTest(unittest.TestCase):
    def test_weekly_card(self):
        self.assertEqual(weekly_card([10, 12, 11, 13, 12, 14, 16, 18]), {"middle": 13, "trend": 16.0, "change": 50.0})

    def test_orders(self):
        self.assertEqual(orders([("B-2", 5, 2, 4), ("A-1", 100, 1, 3)]), [("B-2", 3)])


if __name__ == "__main__":
    unittest.main()
`,
  },
  cli: String.raw`
"""Command line: python3 -m $pkg.cli 12 11 13 ... prints the middle value and the last 3-day average."""
import sys

from . import series, summary


def main(argv=None):
    values = [float(v) for v in (sys.argv[1:] if argv is None else argv)]
    print(summary.$median(values), series.$moving_average(values, 3)[-1])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
`,
  usage: String.raw`
from $pkg.series import $moving_average
from $pkg.summary import $median

print($median([3, 1, 2]), $moving_average([1, 2, 3, 4], 2))
`,
};

const VALIDATORS: PyProject = {
  id: 'validators',
  packages: ['validators', 'formcheck', 'inputguard', 'sanity', 'fieldcheck', 'vetting', 'checkpoint', 'formkit'],
  blurb: 'Input checks shared by the signup and payment forms.',
  modules: {
    contact: { doc: 'E-mail addresses and phone numbers.', head: 'import re' },
    payment: { doc: 'Card number checks.' },
    rules: { doc: 'Small rules shared by several forms.' },
  },
  funcs: [
    f('is_valid_email', ['is_valid_email', 'valid_email', 'check_email', 'email_ok'], 'contact', String.raw`
def $is_valid_email(address):
    """True for an address like "name@example.org": one "@", a dotted domain, and a final part of two or more letters."""
    return re.match(r"^[\w.%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$", address) is not None
`, 3, [[['"ana@example.org"'], 'True'], [['"user@localhost"'], 'False'], [['"a@b.c"'], 'False'], [['"first.last+tag@mail.example.co"'], 'True'], [['"no-at-sign.org"'], 'False']], [['\\.[A-Za-z]{2,}$"', '(\\.[A-Za-z]{2,})?$"'], ['{2,}', '{1,}']]),
    f('normalize_phone', ['normalize_phone', 'clean_phone', 'phone_e164', 'canonical_phone'], 'contact', String.raw`
def $normalize_phone(raw, country_code="1"):
    """Digits only, with a leading "+"; a number written without "+" gets the country code in front. Fewer than 7 digits raises ValueError."""
    digits = "".join(ch for ch in raw if ch.isdigit())
    if len(digits) < 7:
        raise ValueError("too few digits: " + raw)
    if raw.strip().startswith("+"):
        return "+" + digits
    return "+" + country_code + digits
`, 3, [[['"(555) 010-2030"'], '"+15550102030"'], [['" +44 20 7946 0958"'], '"+442079460958"'], [['"555 0199"', '"49"'], '"+495550199"'], [['"+1 555 010 2030"'], '"+15550102030"']], [['if len(digits) < 7:', 'if len(digits) < 6:'], ['if raw.strip().startswith("+"):', 'if raw.startswith("+"):']], [['"123-456"'], ['""']]),
    f('luhn_valid', ['luhn_valid', 'passes_luhn', 'luhn_check', 'card_checksum_ok'], 'payment', String.raw`
def $luhn_valid(number):
    """Luhn checksum of a card number; spaces are ignored, any other non-digit makes it invalid."""
    digits = number.replace(" ", "")
    if not digits.isdigit():
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0
`, 4, [[['"4111 1111 1111 1111"'], 'True'], [['"4111 1111 1111 1112"'], 'False'], [['"79927398713"'], 'True'], [['"1234-5678"'], 'False'], [['"4539 1488 0343 6467"'], 'True']], [['if i % 2 == 1:', 'if i % 2 == 0:'], ['digits = number.replace(" ", "")', 'digits = number']]),
    f('is_leap_year', ['is_leap_year', 'leap_year', 'is_leap', 'has_feb_29'], 'rules', String.raw`
def $is_leap_year(year):
    """Gregorian leap year: divisible by 4, except centuries, except every fourth century."""
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
`, 3, [[['2024'], 'True'], [['1900'], 'False'], [['2000'], 'True'], [['2023'], 'False']], [['(year % 100 != 0 or year % 400 == 0)', '(year % 100 != 0)'], ['year % 4 == 0 and', 'year % 4 == 0 or']]),
    f('compare_versions', ['compare_versions', 'version_cmp', 'cmp_versions', 'order_versions'], 'rules', String.raw`
def $compare_versions(a, b):
    """-1, 0 or 1 as dotted version a is older than, equal to or newer than b ("1.10" is newer than "1.9"); missing parts count as 0."""
    pa = [int(p) for p in a.split(".")]
    pb = [int(p) for p in b.split(".")]
    width = max(len(pa), len(pb))
    pa += [0] * (width - len(pa))
    pb += [0] * (width - len(pb))
    return (pa > pb) - (pa < pb)
`, 3, [[['"1.10"', '"1.9"'], '1'], [['"2.0"', '"2.0.0"'], '0'], [['"1.2.3"', '"1.3"'], '-1'], [['"3"', '"2.9.9"'], '1']], [['width = max(len(pa), len(pb))', 'width = min(len(pa), len(pb))'], ['(pa > pb) - (pa < pb)', '(pa > pb) - (pa <= pb)']]),
  ],
  callers: {
    forms: String.raw`
"""Validation of the signup form."""
from .contact import $is_valid_email, $normalize_phone
from .payment import $luhn_valid


def signup_errors(form):
    """Names of the fields of a signup form (a dict) that do not validate, sorted."""
    errors = []
    if not $is_valid_email(form.get("email", "")):
        errors.append("email")
    try:
        $normalize_phone(form.get("phone", ""))
    except ValueError:
        errors.append("phone")
    if form.get("card") and not $luhn_valid(form["card"]):
        errors.append("card")
    return sorted(errors)
`,
  },
  callerTests: {
    forms: String.raw`
"""Tests for $pkg.forms."""
import unittest

from $pkg.forms import signup_errors


class SignupTest(unittest.TestCase):
    def test_good_form(self):
        self.assertEqual(signup_errors({"email": "ana@example.org", "phone": "(555) 010-2030"}), [])

    def test_bad_form(self):
        self.assertEqual(signup_errors({"email": "nope", "phone": "12", "card": "4111 1111 1111 1112"}), ["card", "email", "phone"])


if __name__ == "__main__":
    unittest.main()
`,
  },
  cli: String.raw`
"""Command line: python3 -m $pkg.cli email|card|phone VALUE"""
import sys

from .contact import $is_valid_email, $normalize_phone
from .payment import $luhn_valid


def main(argv=None):
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2 or args[0] not in ("email", "card", "phone"):
        print("usage: python3 -m $pkg.cli email|card|phone VALUE", file=sys.stderr)
        return 2
    kind, value = args
    if kind == "phone":
        print($normalize_phone(value))
        return 0
    ok = $is_valid_email(value) if kind == "email" else $luhn_valid(value)
    print("valid" if ok else "invalid")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
`,
  usage: String.raw`
from $pkg.contact import $is_valid_email
from $pkg.payment import $luhn_valid

print($is_valid_email("ana@example.org"), $luhn_valid("4111 1111 1111 1111"))
`,
};

export const PY_PROJECTS: readonly PyProject[] = [BILLING, TEXTKIT, TIMEUTIL, METRICS, VALIDATORS];

/** Fill `$slot` and `$pkg` in a template. Unknown slots are an error (a typo in the catalog). */
export function fillPy(t: string, names: Record<string, string>, pkg: string): string {
  return t.replace(/\$([a-z_]+)/g, (_m, k: string) => {
    if (k === 'pkg') return pkg;
    const v = names[k];
    if (v === undefined) throw new Error(`pykit: unknown slot $${k}`);
    return v;
  });
}

/** Each slot's usual name (its first candidate). */
export function defaultNames(p: PyProject): Record<string, string> {
  return Object.fromEntries(p.funcs.map((fn) => [fn.slot, fn.names[0]!]));
}

/** Apply a bug to a function template; the slip must occur exactly once. */
export function withBug(fn: PyFunc, bug: PyBug): string {
  const parts = fn.src.split(bug.from);
  if (parts.length !== 2) throw new Error(`pykit: bug ${bug.id} matches ${parts.length - 1} times`);
  return parts.join(bug.to);
}

export interface RenderOptions {
  pkg: string;
  names: Record<string, string>;
  /** Function sources that differ from the catalog (bugs), by slot. */
  override?: Record<string, string>;
  /** Extra function templates appended to a module (e.g. a look-alike helper), by module. */
  extra?: Record<string, string[]>;
}

/** One module's source. */
export function renderModule(p: PyProject, mod: string, o: RenderOptions): string {
  const m = p.modules[mod]!;
  const fns = p.funcs.filter((fn) => fn.module === mod).map((fn) => o.override?.[fn.slot] ?? fn.src);
  const body = [...fns, ...(o.extra?.[mod] ?? [])].map((s) => fillPy(s, o.names, o.pkg));
  return `"""${m.doc}"""\n${m.head ? `${m.head}\n` : ''}\n\n${body.join('\n\n\n')}\n`;
}

/** The package, its callers and command line, README and pyproject: path → content. */
export function renderSources(p: PyProject, o: RenderOptions): Record<string, string> {
  const files: Record<string, string> = {};
  const mods = Object.keys(p.modules);
  for (const mod of mods) files[`${o.pkg}/${mod}.py`] = renderModule(p, mod, o);
  for (const [mod, src] of Object.entries(p.callers)) files[`${o.pkg}/${mod}.py`] = fillPy(src.trimStart(), o.names, o.pkg);
  files[`${o.pkg}/cli.py`] = fillPy(p.cli.trimStart(), o.names, o.pkg);
  const exported = mods.map((mod) => [mod, p.funcs.filter((fn) => fn.module === mod).map((fn) => o.names[fn.slot]!)] as const);
  files[`${o.pkg}/__init__.py`] =
    `"""${o.pkg}: ${p.blurb}"""\n` +
    exported.map(([mod, ns]) => `from .${mod} import ${ns.join(', ')}\n`).join('') +
    `\n__all__ = [${exported.flatMap(([, ns]) => ns).map((n) => `"${n}"`).join(', ')}]\n`;
  files['README.md'] = [
    `# ${o.pkg}`,
    '',
    p.blurb,
    '',
    '## Usage',
    '',
    '```python',
    fillPy(p.usage.trim(), o.names, o.pkg),
    '```',
    '',
    '## Layout',
    '',
    ...mods.map((mod) => `- \`${o.pkg}/${mod}.py\`: ${p.modules[mod]!.doc}`),
    ...Object.keys(p.callers).map((mod) => `- \`${o.pkg}/${mod}.py\`: ${/"""(.*?)"""/.exec(p.callers[mod]!)?.[1] ?? ''}`),
    `- \`${o.pkg}/cli.py\`: the command line.`,
    '',
    'Run the tests with `python3 -m unittest discover -s tests`.',
    '',
  ].join('\n');
  files['pyproject.toml'] = `[project]\nname = "${o.pkg}"\nversion = "0.${p.funcs.length}.0"\ndescription = "${p.blurb}"\nrequires-python = ">=3.9"\n`;
  return files;
}

const camel = (s: string) => s.split('_').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');

/** A unittest class for one function (final names), with the first `shown` cases or all of them. */
export function testClass(p: PyProject, fn: PyFunc, names: Record<string, string>, all: boolean): string {
  const name = names[fn.slot]!;
  const cases = all ? fn.cases : fn.cases.slice(0, fn.shown);
  const lines = [`class ${camel(name)}Test(unittest.TestCase):`, '    def test_examples(self):', ...cases.map((c) => `        self.assertEqual(${name}(${c.args.join(', ')}), ${c.expect})`)];
  if (fn.raises?.length) {
    lines.push('', '    def test_rejects_bad_input(self):');
    for (const args of fn.raises) lines.push('        with self.assertRaises(ValueError):', `            ${name}(${args.join(', ')})`);
  }
  return lines.join('\n');
}

export interface TestOptions {
  /** Leave these slots out of the tests. */
  omit?: ReadonlySet<string>;
  /** Every case, not only the shown ones (the hidden copy). */
  all?: boolean;
  /** Extra test classes per module: [import names, class source]. */
  extra?: Record<string, Array<[string[], string]>>;
}

/** The tests folder: tests/test_<module>.py for each module and caller. */
export function renderTests(p: PyProject, o: RenderOptions, t: TestOptions = {}): Record<string, string> {
  const files: Record<string, string> = {};
  for (const mod of Object.keys(p.modules)) {
    const fns = p.funcs.filter((fn) => fn.module === mod && !t.omit?.has(fn.slot));
    const extra = t.extra?.[mod] ?? [];
    if (!fns.length && !extra.length) continue;
    const imported = [...fns.map((fn) => o.names[fn.slot]!), ...extra.flatMap(([ns]) => ns)].sort();
    const classes = [...fns.map((fn) => testClass(p, fn, o.names, !!t.all)), ...extra.map(([, src]) => src)];
    files[`tests/test_${mod}.py`] =
      `"""Tests for ${o.pkg}.${mod}."""\nimport unittest\n${p.testImports && fns.length ? `${p.testImports}\n` : ''}\nfrom ${o.pkg}.${mod} import ${imported.join(', ')}\n\n\n` +
      `${classes.join('\n\n\n')}\n\n\nif __name__ == "__main__":\n    unittest.main()\n`;
  }
  for (const [mod, src] of Object.entries(p.callerTests)) files[`tests/test_${mod}.py`] = fillPy(src.trimStart(), o.names, o.pkg);
  return files;
}

/** A bash heredoc that cannot end early: the marker never occurs in `body`. */
export function heredoc(path: string, body: string): string {
  let marker = 'CLAWGYM_EOF';
  while (body.includes(marker)) marker += '_';
  return `cat > ${path} <<'${marker}'\n${body}${body.endsWith('\n') ? '' : '\n'}${marker}\n`;
}

/**
 * A command check line that runs pristine copies of test files from a temp folder against the
 * workspace's code, so editing or deleting the workspace's tests cannot make it pass.
 */
export function hiddenTestsCommand(tests: Record<string, string>): string {
  const writes = Object.entries(tests).map(([path, body]) => heredoc(`"$d/${path.split('/').pop()}"`, body));
  return `set -e\nd=$(mktemp -d)\n${writes.join('')}python3 -m unittest discover -s "$d" -t "$d"\n`;
}

const HISTORY = [
  'Added `{fn}`.',
  'Fixed an edge case in `{fn}`.',
  'Documented `{fn}` in the README.',
  'Faster `{fn}` on long inputs.',
  '`{fn}` now has a docstring with examples.',
  'Dropped support for Python 3.{old}.',
  'Tests run with plain `unittest` now; no pytest needed.',
  'The CLI prints a usage line on bad input.',
  'Type hints in the public modules (thanks @{handle}).',
  'Fixed a typo in the README (reported by @{handle}).',
  'Moved the CLI into `{pkg}/cli.py`.',
  'CI runs on Python {py}.',
];

/**
 * Per-task repository furniture — a CHANGELOG with its own history, a CI workflow, authors in
 * pyproject.toml — so two tasks over the same catalog project are still different repositories.
 */
export function repoExtras(rng: Rng, p: PyProject, pkg: string, names: Record<string, string>): Record<string, string> {
  const people = crowd(rng, 3);
  let minor = rng.int(5, 14);
  let patch = rng.int(0, 4);
  let [y, m] = [rng.int(2023, 2025), rng.int(1, 12)];
  const d = rng.int(1, 28);
  const top = `0.${minor}.${patch}`;
  const sections: string[] = [];
  for (let k = 0, n = rng.int(3, 6); k < n; k++) {
    const lines = rng.sample(HISTORY, rng.int(1, 3)).map((t) =>
      t.replace(/\{(\w+)\}/g, (_m, key: string) =>
        key === 'fn' ? names[rng.pick(p.funcs).slot]! : key === 'handle' ? rng.pick(people).handle.replace('.', '') : key === 'pkg' ? pkg : key === 'old' ? String(rng.int(6, 8)) : `3.${rng.int(9, 13)}`,
      ),
    );
    sections.push(`## 0.${minor}.${patch} (${y}-${pad2(m)}-${pad2(d)})\n\n${lines.map((l) => `- ${l}`).join('\n')}\n`);
    if (patch > 0) patch--;
    else {
      minor--;
      patch = rng.int(0, 3);
    }
    m -= rng.int(1, 4);
    if (m < 1) {
      m += 12;
      y--;
    }
  }
  const pythons = ['3.9', '3.10', '3.11', '3.12', '3.13'].slice(rng.int(0, 2));
  const workflow = [
    `name: ${rng.pick(['tests', 'ci', 'unit-tests'])}`,
    'on: [push, pull_request]',
    'jobs:',
    '  unittest:',
    `    runs-on: ${rng.pick(['ubuntu-22.04', 'ubuntu-24.04', 'ubuntu-latest'])}`,
    '    strategy:',
    '      matrix:',
    `        python: [${pythons.map((v) => `"${v}"`).join(', ')}]`,
    '    steps:',
    '      - uses: actions/checkout@v4',
    '      - uses: actions/setup-python@v5',
    '        with:',
    '          python-version: $' + '{{ matrix.python }}',
    '      - run: python -m unittest discover -s tests -v',
    '',
  ].join('\n');
  return {
    'CHANGELOG.md': `# Changelog\n\n${sections.join('\n')}`,
    '.github/workflows/tests.yml': workflow,
    'pyproject.toml': `[project]\nname = "${pkg}"\nversion = "${top}"\ndescription = "${p.blurb}"\nauthors = [${people.slice(0, rng.int(1, 2)).map((x) => `{ name = "${x.full}" }`).join(', ')}]\nrequires-python = ">=${pythons[0]}"\n`,
  };
}
