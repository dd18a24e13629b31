/**
 * The Python side of a Harbor export: `tests/clawgym_checks.py` evaluates the task's checks
 * (`tests/checks.json`) against the workspace with the standard library only, mirroring
 * src/core/verify/declarative.ts and scripts.ts, and writes reward.txt / reward.json.
 * Kept as a string so that esbuild bundles it; String.raw keeps Python's backslashes as written.
 */
export const CLAWGYM_CHECKS_PY = String.raw`#!/usr/bin/env python3
"""ClawGym checks for a Harbor task (generated; standard library only).

Evaluates checks.json against the workspace, then writes the weighted mean of the check scores as
"reward" in <logs>/reward.json (which Harbor >= 0.20 reads first), beside each check's score, the same
number to <logs>/reward.txt (older Harbor), and details to <logs>/clawgym_checks.json.

usage: clawgym_checks.py [--workspace DIR] [--logs DIR] [--checks FILE] [--transcript FILE]
"""
import argparse
import csv
import hashlib
import io
import json
import math
import os
import re
import subprocess
import sys
import tempfile

MAX_READ = 64 * 1024 * 1024
GRADE_MARKER = "@@CLAWGYM_GRADE@@"


class CheckError(Exception):
    """The check could not be evaluated (a crashed script, bad output): it scores 0."""


# ---------- workspace access: never read through a symlink that leaves the workspace ----------

class Workspace:
    def __init__(self, root):
        self.root = os.path.realpath(root)

    def resolve(self, rel):
        p = os.path.realpath(os.path.join(self.root, rel))
        if not os.path.exists(p):
            return None, "%s does not exist" % rel
        if p != self.root and not p.startswith(self.root.rstrip(os.sep) + os.sep):
            return None, "%s resolves outside the workspace" % rel
        return p, None

    def read(self, rel):
        p, err = self.resolve(rel)
        if err:
            return None, err
        if not os.path.isfile(p):
            return None, "%s is not a file" % rel
        if os.path.getsize(p) > MAX_READ:
            return None, "%s is larger than %d bytes" % (rel, MAX_READ)
        with open(p, "rb") as f:
            return f.read(), None

    def text(self, rel):
        data, err = self.read(rel)
        return (None, err) if err else (data.decode("utf-8", errors="replace"), None)

    def list(self, skip):
        out = []

        def walk(d):
            for e in sorted(os.scandir(d), key=lambda e: e.name):
                rel = os.path.relpath(e.path, self.root).replace(os.sep, "/")
                if rel in skip:
                    continue
                if e.is_dir(follow_symlinks=False):
                    walk(e.path)
                else:
                    out.append(rel)

        walk(self.root)
        return sorted(out)


# ---------- helpers that mirror JavaScript semantics ----------

def binary(ok, message, expected=None, actual=None):
    return {"score": 1.0 if ok else 0.0, "message": message, "expected": show(expected), "actual": show(actual)}


def show(v):
    if v is None:
        return None
    s = v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, separators=(",", ":"))
    return s if len(s) <= 2000 else s[:2000] + "... (%d chars)" % len(s)


def js_string(v):
    """String(v) in JavaScript."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return "null"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, (dict, list)):
        return json.dumps(v, ensure_ascii=False, separators=(",", ":"))
    return str(v)


def js_number(s):
    """Number(s) in JavaScript for CSV cells: blank is 0, junk is NaN."""
    t = s.strip()
    if t == "":
        return 0.0
    try:
        return float(int(t, 16)) if t.lower().startswith("0x") else float(t.replace("Infinity", "inf"))
    except ValueError:
        return float("nan")


def is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def deep_equal(a, b):
    """isDeepStrictEqual on JSON values: 1 and true differ, 1 and 1.0 do not."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if is_number(a) and is_number(b):
        return a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(deep_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(deep_equal(x, y) for x, y in zip(a, b))
    return type(a) == type(b) and a == b


def js_regex(pattern, flags=""):
    """A JavaScript regular expression in Python: flags i/m/s, named groups rewritten."""
    f = 0
    if "i" in flags:
        f |= re.IGNORECASE
    if "m" in flags:
        f |= re.MULTILINE
    if "s" in flags:
        f |= re.DOTALL
    pattern = re.sub(r"\(\?<([A-Za-z_]\w*)>", r"(?P<\1>", pattern)
    pattern = re.sub(r"\\k<([A-Za-z_]\w*)>", r"(?P=\1)", pattern)
    return re.compile(pattern, f)


def normalize(s, n):
    n = n or {}
    t = s.replace("\r\n", "\n")
    if n.get("trailing_newline", True) is not False and t.endswith("\n"):
        t = t[:-1]
    if n.get("whitespace"):
        t = re.sub(r"\s+", " ", t).strip()
    if n.get("case"):
        t = t.lower()
    return t


def split_lines(text):
    if not text:
        return []
    t = text.replace("\r\n", "\n")
    if t.endswith("\n"):
        t = t[:-1]
    return t.split("\n")


QUERY_TOKEN = re.compile(r"\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\[\s*'([^']*)'\s*\]|\[\s*\"([^\"]*)\"\s*\]", re.ASCII)


def parse_query(q):
    """$.a.b[0]['c d'] -> ['a', 'b', 0, 'c d']"""
    src = q.strip()
    if src.startswith("$"):
        src = src[1:]
    out, pos = [], 0
    while pos < len(src):
        m = QUERY_TOKEN.match(src, pos)
        if not m:
            raise ValueError('cannot parse query "%s" at "%s"' % (q, src[pos:]))
        if m.group(1) is not None:
            out.append(m.group(1))
        elif m.group(2) is not None:
            out.append(int(m.group(2)))
        else:
            out.append(m.group(3) if m.group(3) is not None else m.group(4))
        pos = m.end()
    return out


def lookup(root, path):
    cur = root
    for k in path:
        if isinstance(cur, dict):
            key = str(k)
            if key not in cur:
                return False, None
            cur = cur[key]
        elif isinstance(cur, list):
            i = k if isinstance(k, int) else (int(k) if str(k).isdigit() else None)
            if i is None or i >= len(cur):
                return False, None
            cur = cur[i]
        else:
            return False, None
    return True, cur


def assert_value(c, data):
    try:
        path = parse_query(c["query"])
    except ValueError as e:
        return {"score": 0.0, "message": str(e)}
    found, value = lookup(data, path)
    q = c["query"]
    if c.get("exists") is False:
        return binary(not found, "%s exists" % q if found else "%s is absent" % q, "absent", value if found else "absent")
    if not found:
        return binary(False, "%s not found" % q, c.get("equals", "a value"), "not found")
    failures = []
    if "equals" in c:
        e = c["equals"]
        if is_number(e) and is_number(value):
            ok = abs(e - value) <= c.get("tolerance", 1e-9)
        else:
            ok = deep_equal(value, e)
        if not ok:
            failures.append("expected %s" % show(e))
    if "matches" in c:
        s = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        if not js_regex(c["matches"]).search(s):
            failures.append("does not match /%s/" % c["matches"])
    if "contains" in c:
        want = c["contains"]
        if isinstance(value, list):
            ok = any(deep_equal(v, want) for v in value)
        else:
            ok = isinstance(value, str) and js_string(want) in value
        if not ok:
            failures.append("does not contain %s" % show(want))
    if "min" in c and not (is_number(value) and value >= c["min"]):
        failures.append("below %s" % js_string(c["min"]))
    if "max" in c and not (is_number(value) and value <= c["max"]):
        failures.append("above %s" % js_string(c["max"]))
    msg = "%s: %s" % (q, "; ".join(failures)) if failures else "%s as expected" % q
    return binary(not failures, msg, c.get("equals", c.get("contains", c.get("matches"))), value)


def glob_regex(glob):
    """A picomatch-style glob (with dot files): ** crosses folders, * and ? do not, {a,b} alternates."""
    i, out = 0, ""
    while i < len(glob):
        ch = glob[i]
        if glob.startswith("**/", i):
            out += "(?:.*/)?"
            i += 3
            continue
        if glob.startswith("**", i):
            out += ".*"
            i += 2
            continue
        if ch == "*":
            out += "[^/]*"
        elif ch == "?":
            out += "[^/]"
        elif ch == "{":
            j = glob.find("}", i)
            if j < 0:
                out += re.escape(ch)
            else:
                out += "(?:" + "|".join(re.escape(p) for p in glob[i + 1:j].split(",")) + ")"
                i = j
        elif ch == "[":
            j = glob.find("]", i + 1)
            if j < 0:
                out += re.escape(ch)
            else:
                body = glob[i + 1:j]
                out += "[" + ("^" + body[1:] if body.startswith("!") else body) + "]"
                i = j
        else:
            out += re.escape(ch)
        i += 1
    return re.compile("^(?:" + out + ")$")


# ---------- declarative checks ----------

def text_of(ctx, path):
    t, err = ctx["ws"].text(path)
    if err:
        return None, {"score": 0.0, "message": err, "actual": "missing"}
    return t, None


def check_file_exists(c, ctx):
    p, _ = ctx["ws"].resolve(c["path"])
    ok = p is not None
    return binary(ok, "%s exists" % c["path"] if ok else "%s is missing" % c["path"], "exists", "exists" if ok else "missing")


def check_file_absent(c, ctx):
    p, _ = ctx["ws"].resolve(c["path"])
    present = p is not None
    msg = "%s should not exist" % c["path"] if present else "%s is absent" % c["path"]
    return binary(not present, msg, "absent", "exists" if present else "absent")


def check_file_unchanged(c, ctx):
    want = c.get("sha256")
    if not want:
        return {"score": 0.0, "message": "%s is not in the task's starting workspace" % c["path"]}
    data, err = ctx["ws"].read(c["path"])
    if err:
        return binary(False, err, "unchanged", "missing")
    same = hashlib.sha256(data).hexdigest() == want
    msg = "%s is unchanged" % c["path"] if same else "%s was modified" % c["path"]
    return binary(same, msg, "unchanged", "unchanged" if same else "modified")


def as_list(v):
    return v if isinstance(v, list) else [v]


def check_text_contains(c, ctx):
    t, out = text_of(ctx, c["path"])
    if out:
        return out
    hay = normalize(t, c.get("normalize"))
    needles = as_list(c["text"])
    missing = [n for n in needles if normalize(n, c.get("normalize")) not in hay]
    msg = ("%s lacks %s" % (c["path"], ", ".join(json.dumps(m, ensure_ascii=False) for m in missing))) if missing else "%s contains all %d" % (c["path"], len(needles))
    return {"score": (len(needles) - len(missing)) / len(needles), "message": msg, "expected": show(needles),
            "actual": "missing: %s" % show(missing) if missing else "all present"}


def check_text_not_contains(c, ctx):
    t, out = text_of(ctx, c["path"])
    if out:
        return out
    hay = normalize(t, c.get("normalize"))
    found = [n for n in as_list(c["text"]) if normalize(n, c.get("normalize")) in hay]
    msg = "%s contains %s" % (c["path"], show(found)) if found else "%s contains none" % c["path"]
    return binary(not found, msg, "none", found if found else "none")


def check_text_matches(c, ctx):
    t, out = text_of(ctx, c["path"])
    if out:
        return out
    flags = c.get("flags", "m")
    m = js_regex(c["pattern"], flags).search(t)
    msg = "%s matches" % c["path"] if m else "%s does not match /%s/%s" % (c["path"], c["pattern"], flags)
    return binary(bool(m), msg, "/%s/%s" % (c["pattern"], flags), m.group(0) if m else t)


def check_text_equals(c, ctx):
    t, out = text_of(ctx, c["path"])
    if out:
        return out
    a = normalize(t, c.get("normalize"))
    e = normalize(c["text"], c.get("normalize"))
    msg = "%s equals the expected text" % c["path"] if a == e else "%s differs from the expected text" % c["path"]
    return binary(a == e, msg, e, a)


def check_json_path(c, ctx):
    t, out = text_of(ctx, c["path"])
    if out:
        return out
    try:
        data = json.loads(t)
    except ValueError as e:
        return {"score": 0.0, "message": "%s is not valid JSON: %s" % (c["path"], e)}
    return assert_value(c, data)


def yaml12_loader(yaml):
    """PyYAML reading YAML 1.2's core schema, as ClawGym does (the yaml package), not YAML 1.1:
    11:00, yes, 0755 and 2024-01-31 stay what 1.2 makes of them; keys become strings as in JavaScript;
    a duplicate key is an error."""

    class Core12Loader(yaml.SafeLoader):
        pass

    Core12Loader.yaml_implicit_resolvers = {}
    for tag, pattern, first in (
        ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
        ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
        ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
        ("float", r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
         list("-+0123456789.")),
    ):
        Core12Loader.add_implicit_resolver("tag:yaml.org,2002:" + tag, re.compile(pattern), first)

    def construct_int(loader, node):
        v = loader.construct_scalar(node)
        return int(v[2:], 8) if v.startswith("0o") else int(v[2:], 16) if v.startswith("0x") else int(v, 10)

    def construct_mapping(loader, node):
        loader.flatten_mapping(node)
        out = {}
        for k, v in node.value:
            key = loader.construct_object(k, deep=True)
            key = "" if key is None else js_string(key) if not isinstance(key, str) else key
            if key in out:
                raise yaml.constructor.ConstructorError(None, None, 'duplicate key "%s"' % key, k.start_mark)
            out[key] = loader.construct_object(v, deep=True)
        return out

    Core12Loader.add_constructor("tag:yaml.org,2002:int", construct_int)
    Core12Loader.add_constructor("tag:yaml.org,2002:map", construct_mapping)
    return Core12Loader


def check_yaml_path(c, ctx):
    t, out = text_of(ctx, c["path"])
    if out:
        return out
    try:
        import yaml  # PyYAML: python3-yaml in the exported image
    except ImportError:
        return {"score": 0.0, "message": "yaml_path needs PyYAML (apt-get install python3-yaml) in the verifier image"}
    try:
        data = yaml.load(t, Loader=yaml12_loader(yaml))
    except Exception as e:  # noqa: BLE001 - any parse error is the agent's output being invalid
        return {"score": 0.0, "message": "%s is not valid YAML: %s" % (c["path"], str(e).splitlines()[0] if str(e) else e)}
    return assert_value(c, data)


def check_csv(c, ctx):
    t, out = text_of(ctx, c["path"])
    if out:
        return out
    try:
        rows = [r for r in csv.reader(io.StringIO(t.lstrip("\ufeff"), newline=""), delimiter=c.get("delimiter", ",")) if r]
    except csv.Error as e:
        return {"score": 0.0, "message": "%s is not valid CSV: %s" % (c["path"], e)}
    header = rows[0] if rows else []
    data = rows[1:]
    names = [h.strip() for h in header]
    results = []
    if "columns" in c:
        results.append((names == c["columns"], "columns %s (got %s)" % (show(c["columns"]), show(header))))
    if "row_count" in c:
        results.append((len(data) == c["row_count"], "%d rows (got %d)" % (c["row_count"], len(data))))
    for cell in c.get("cells", []):
        col = names.index(cell["column"]) if cell["column"] in names else -1
        row = data[cell["row"]] if cell["row"] < len(data) else None
        got = row[col].strip() if col >= 0 and row is not None and col < len(row) else None
        e = cell["equals"]
        ok = got is not None and (abs(js_number(got) - e) < 1e-9 if is_number(e) else got == e)
        results.append((ok, "row %d %s = %s (got %s)" % (cell["row"], cell["column"], show(e), show(got if got is not None else "missing"))))
    sb = c.get("sorted_by")
    if sb:
        col = names.index(sb["column"]) if sb["column"] in names else -1
        vals = [(r[col].strip() if col >= 0 and col < len(r) else "") for r in data]
        sign = 1 if sb.get("order", "asc") == "asc" else -1

        def cmp(a, b):
            if sb.get("numeric"):
                return js_number(a) - js_number(b)
            return -1 if a < b else (1 if a > b else 0)

        ok = col >= 0 and all(i == 0 or sign * cmp(vals[i - 1], v) <= 0 for i, v in enumerate(vals))
        results.append((ok, "sorted by %s %s" % (sb["column"], sb.get("order", "asc"))))
    if not results:
        return {"score": 1.0, "message": "%s is valid CSV" % c["path"]}
    failed = [w for ok, w in results if not ok]
    msg = "%s: %s" % (c["path"], "; ".join(failed)) if failed else "%s: all %d assertions hold" % (c["path"], len(results))
    return {"score": (len(results) - len(failed)) / len(results), "message": msg,
            "actual": "%d of %d failed" % (len(failed), len(results)) if failed else "all hold"}


def check_line_count(c, ctx):
    t, out = text_of(ctx, c["path"])
    if out:
        return out
    n = len(split_lines(t))
    ok = ("equals" not in c or n == c["equals"]) and ("min" not in c or n >= c["min"]) and ("max" not in c or n <= c["max"])
    return binary(ok, "%s has %d lines" % (c["path"], n), c.get("equals"), n)


def check_no_unexpected_files(c, ctx):
    allow = [glob_regex(g) for g in c.get("allow", [])]
    original = set(ctx["spec"].get("original_files", []))
    extra = [p for p in ctx["ws"].list(set(ctx["spec"].get("hidden", []))) if p not in original and not any(a.match(p) for a in allow)]
    msg = "%d unexpected file(s)" % len(extra) if extra else "no unexpected files"
    return binary(not extra, msg, "only %s" % show(c.get("allow", [])), extra[:20] if extra else "none")


# ---------- checks that run programs (in the workspace, like ClawGym's verifier) ----------

def run(cmd, ctx, timeout):
    try:
        return subprocess.run(["bash", "-c", cmd], cwd=ctx["ws"].root, capture_output=True, text=True,
                              errors="replace", timeout=timeout)
    except subprocess.TimeoutExpired:
        return None


def tail(s, n=800):
    s = (s or "").strip()
    return s if len(s) <= n else "..." + s[-n:]


NUMBER = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")


def dict_scores(data):
    if is_number(data):
        if 0 <= data <= 1:
            return data, None
        raise CheckError("reward %s is outside [0,1]" % js_string(data))
    if not isinstance(data, dict):
        raise CheckError("JSON output is not a dict of scores")
    details = {}
    for k, v in data.items():
        n = float(v) if isinstance(v, bool) or is_number(v) else float("nan")
        if not math.isfinite(n) or n < 0 or n > 1:
            raise CheckError('score "%s" = %s is not a number in [0,1]' % (k, json.dumps(v)))
        details[k] = n
    if not details:
        raise CheckError("JSON dict of scores is empty")
    return sum(details.values()) / len(details), details


def harbor_rewards(data):
    """A Harbor reward.json: the "reward" key is the reward; without one, the mean of the scores."""
    score, details = dict_scores(data)
    if isinstance(data, dict) and "reward" in data:
        score = details.pop("reward")
    return score, details or None


def parse_reward(stdout, mode):
    lines = [l.strip() for l in stdout.split("\n") if l.strip()]
    last = lines[-1] if lines else ""
    if mode != "json" and NUMBER.match(last):
        v = float(last)
        if 0 <= v <= 1:
            return v, None
        raise CheckError("reward %s is outside [0,1]" % last)
    shown = json.dumps(last[:200]) if last else "(no output)"
    if mode == "float":
        raise CheckError("last stdout line is not a number: %s" % shown)
    for candidate in (stdout.strip(), last):
        try:
            data = json.loads(candidate)
        except ValueError:
            continue
        return dict_scores(data)
    raise CheckError("output is neither a number nor a JSON dict of scores: %s" % shown)


def check_script(c, ctx):
    r = run(c["run"], ctx, c.get("timeout_sec", 300))
    if r is None:
        raise CheckError("%s: timed out" % c["run"])
    if r.returncode != 0:
        raise CheckError("%s: exited %d: %s" % (c["run"], r.returncode, tail(r.stderr) or tail(r.stdout)))
    score, details = parse_reward(r.stdout, c.get("output", "auto"))
    return {"score": score, "details": details, "message": "%s scored %s" % (c["run"], round(score, 4))}


def check_command(c, ctx):
    r = run(c["run"], ctx, c.get("timeout_sec", 300))
    want = c.get("exit_code", 0)
    if r is None:
        return {"score": 0.0, "message": "%s timed out" % c["run"], "expected": "exit %d" % want, "actual": "timeout"}
    failures = []
    if r.returncode != want:
        failures.append("exit %d (expected %d)" % (r.returncode, want))
    out = r.stdout
    if "stdout_contains" in c and c["stdout_contains"] not in out:
        failures.append("stdout lacks %s" % json.dumps(c["stdout_contains"]))
    if "stdout_matches" in c and not js_regex(c["stdout_matches"], "m").search(out):
        failures.append("stdout does not match /%s/" % c["stdout_matches"])
    if "stdout_equals" in c and out.strip() != c["stdout_equals"].strip():
        failures.append("stdout differs")
    msg = "%s: %s" % (c["run"], "; ".join(failures)) if failures else "%s as expected" % c["run"]
    return {"score": 0.0 if failures else 1.0, "message": msg, "actual": "exit %d; stdout: %s" % (r.returncode, tail(out, 500))}


def check_pinchbench_grade(c, ctx):
    # grade() runs in a child process so that a crash or an endless loop costs only this check.
    with tempfile.TemporaryDirectory() as tmp:
        code = os.path.join(tmp, "grade.py")
        with open(code, "w", encoding="utf-8") as f:
            f.write(c["code"])
        argv = [sys.executable, os.path.abspath(__file__), "--run-grade", code, "--workspace", ctx["ws"].root]
        if ctx["transcript"]:
            argv += ["--transcript", ctx["transcript"]]
        try:
            r = subprocess.run(argv, cwd=ctx["ws"].root, capture_output=True, text=True, errors="replace",
                               timeout=c.get("timeout_sec", 300))
        except subprocess.TimeoutExpired:
            raise CheckError("grade() timed out")
    if r.returncode != 0:
        raise CheckError("grade() crashed: %s" % tail(r.stderr))
    at = r.stdout.rfind(GRADE_MARKER)
    if at < 0:
        raise CheckError("grade() printed no result")
    try:
        data = json.loads(r.stdout[at + len(GRADE_MARKER):].strip())
    except ValueError:
        data = None
    score, details = dict_scores(data)
    return {"score": score, "details": details, "message": "grade() scored %s" % round(score, 4)}


def run_grade(code_file, workspace, transcript_file):
    transcript = []
    if transcript_file and os.path.exists(transcript_file):
        with open(transcript_file, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if line:
                    try:
                        transcript.append(json.loads(line))
                    except ValueError:
                        pass
    ns = {"__name__": "clawgym_grade"}
    with open(code_file, encoding="utf-8") as f:
        exec(compile(f.read(), "grade()", "exec"), ns)
    grade = ns.get("grade")
    if not callable(grade):
        print("no function grade(transcript, workspace_path) defined", file=sys.stderr)
        sys.exit(3)
    print("\n" + GRADE_MARKER + json.dumps(grade(transcript, workspace), default=str))


def check_harbor_test(c, ctx):
    logs = ctx["logs"]
    for name in ("reward.txt", "reward.json"):
        if os.path.exists(os.path.join(logs, name)):
            os.remove(os.path.join(logs, name))
    r = run(c.get("run", "bash /tests/test.sh"), ctx, c.get("timeout_sec", 600))
    if r is None:
        raise CheckError("%s: timed out" % c.get("run"))
    txt, js = os.path.join(logs, "reward.txt"), os.path.join(logs, "reward.json")
    try:
        # As Harbor >= 0.20: reward.json first, its "reward" key when it has one.
        if os.path.exists(js):
            with open(js) as f:
                score, details = harbor_rewards(json.load(f))
        elif os.path.exists(txt):
            with open(txt) as f:
                score, details = parse_reward(f.read(), "float")
        else:
            raise CheckError("wrote neither reward.txt nor reward.json (exit %d): %s" % (r.returncode, tail(r.stderr) or tail(r.stdout)))
    finally:
        for p in (txt, js):
            if os.path.exists(p):
                os.remove(p)
    return {"score": score, "details": details, "message": "%s scored %s" % (c.get("run"), round(score, 4))}


CHECKS = {
    "file_exists": check_file_exists,
    "file_absent": check_file_absent,
    "file_unchanged": check_file_unchanged,
    "text_contains": check_text_contains,
    "text_not_contains": check_text_not_contains,
    "text_matches": check_text_matches,
    "text_equals": check_text_equals,
    "json_path": check_json_path,
    "yaml_path": check_yaml_path,
    "csv": check_csv,
    "line_count": check_line_count,
    "no_unexpected_files": check_no_unexpected_files,
    "command": check_command,
    "script": check_script,
    "pinchbench_grade": check_pinchbench_grade,
    "harbor_test": check_harbor_test,
}


def reward_json(reward, results):
    """Harbor's reward.json: "reward" (what Harbor records), then each scored check by its id (a check
    whose id is itself "reward" appears as "check:reward")."""
    out = {"reward": reward}
    for r in results:
        if r.get("skipped"):
            continue
        key = r["id"]
        while key in out:
            key = "check:" + key
        out[key] = r["score"] or 0.0
    return out


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description="ClawGym checks for a Harbor task")
    ap.add_argument("--checks", default=os.path.join(here, "checks.json"))
    ap.add_argument("--workspace", default=os.environ.get("CLAWGYM_WORKSPACE"))
    ap.add_argument("--logs", default=os.environ.get("CLAWGYM_LOGS", "/logs/verifier"))
    ap.add_argument("--transcript", default=os.environ.get("CLAWGYM_TRANSCRIPT"))
    ap.add_argument("--run-grade", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.run_grade:
        return run_grade(args.run_grade, args.workspace, args.transcript)

    with open(args.checks, encoding="utf-8") as f:
        spec = json.load(f)
    os.makedirs(args.logs, exist_ok=True)
    ctx = {"ws": Workspace(args.workspace or spec["mount"]), "spec": spec, "logs": args.logs, "transcript": args.transcript}
    results = []
    for c in spec["checks"]:
        base = {"id": c["id"], "type": c["type"], "weight": c.get("weight", 1)}
        fn = CHECKS.get(c["type"])
        if fn is None:
            results.append(dict(base, skipped=True, score=None, message="%s cannot run here" % c["type"]))
            continue
        try:
            out = fn(c, ctx)
            out["score"] = min(1.0, max(0.0, float(out["score"])))
            results.append(dict(base, **out))
        except Exception as e:  # noqa: BLE001 - a broken check scores 0 and says why
            results.append(dict(base, score=None, error=str(e), message=str(e)))
    scored = [r for r in results if not r.get("skipped") and r["weight"] > 0]
    total = sum(r["weight"] for r in scored)
    reward = sum(r["weight"] * (r["score"] or 0.0) for r in scored) / total if total > 0 else 0.0
    # repr: the shortest text that reads back as this very float, so both files give the same reward.
    with open(os.path.join(args.logs, "reward.txt"), "w") as f:
        f.write("%r\n" % reward)
    with open(os.path.join(args.logs, "reward.json"), "w") as f:
        json.dump(reward_json(reward, results), f, indent=2)
    with open(os.path.join(args.logs, "clawgym_checks.json"), "w") as f:
        json.dump({"reward": reward, "checks": results}, f, indent=2, ensure_ascii=False)
    for r in results:
        state = "skip" if r.get("skipped") else ("pass" if (r["score"] or 0) >= 1 - 1e-9 else "FAIL")
        print("%-4s %-24s %s  %s" % (state, r["id"], "-" if r["score"] is None else round(r["score"], 4), r.get("message", "")))
    print("reward %s" % round(reward, 6))


if __name__ == "__main__":
    main()
`;
