#!/usr/bin/env python3
"""Check that every export in this folder, read through its mapping document, gives back
exactly the answers of canonical.csv.

    python3 tests/data/exports/check_exports.py          # all *.mapping.json here
    python3 tests/data/exports/check_exports.py -v       # also print each import report

This is a small, independent reading of docs/mapping.md (schema 1), written in plain Python
so that a future Rust importer has an oracle to agree with. canonical.csv is read twice:
once directly with the csv module, and once through canonical.mapping.json. Each export must
give the same respondents in the same order (respondent ids are the platform's own and may
differ), each with the same group and the same current / desired answers. Then each case
of presets.json: a built-in preset (src/survey/presets/) laid under a document naming only
the survey's own columns. Needs openpyxl only for ms_forms.xlsx. Ends with "N passed, N failed"; exit status 1 on any failure.
"""
import csv
import datetime as dt
import json
import pathlib
import sys
import unicodedata

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[2]
READINGS = ("current", "desired")
TOP_KEYS = {"schema", "preset", "definition", "source", "file", "header", "respondent", "group",
            "reading", "statements", "answers", "filters", "ignore", "empty_reading"}
PRESETS = ROOT / "src" / "survey" / "presets"
SCALE_LABELS = ["Not at all", "A little", "Somewhat", "Mostly", "Completely"]  # the default 1..=5


def fold(s):
    """The crate's one rule compares words trimmed, runs of white space as one, lowercase,
    typographic apostrophes as '."""
    return " ".join(s.replace("\u2018", "'").replace("\u2019", "'").split()).lower()


def one_rule(cell):
    """RatingScale::parse_answer on the default scale: integers, na/dk and their
    spellings, the scale's labels; None if it is none of them."""
    t = cell.strip()
    if t == "":
        return ""
    try:
        return str(int(t))
    except ValueError:
        pass
    f = fold(t)
    if f in ("na", "n/a", "not applicable"):
        return "na"
    if f in ("dk", "don't know"):
        return "dk"
    for i, label in enumerate(SCALE_LABELS, start=1):
        if fold(label) == f:
            return str(i)
    return None


def overlay(base, over):
    """A document laid over its preset: keys replace, `ignore` lists are added."""
    out = dict(base)
    for k, v in over.items():
        if k == "ignore" and "ignore" in base:
            out[k] = {part: base["ignore"].get(part, []) + v.get(part, []) for part in ("personal", "columns")}
        elif k == "source" and "source" in base:
            out[k] = {**base["source"], **v}
        else:
            out[k] = v
    if "statements" in over and "reading" not in over:
        out.pop("reading", None)
    return out


class MappingError(Exception):
    pass


def definition():
    for rel in ("src/model/living_well.json", "src/living_well.json"):
        path = ROOT / rel
        if path.exists():
            data = json.loads(path.read_text(encoding="utf-8"))
            items = data.get("statements") or data["indicators"]
            return data["id"], data.get("version"), [(s["id"], s["text"]) for s in items]
    raise SystemExit("living_well.json not found under src/")


def norm(s):
    return unicodedata.normalize("NFC", s).strip()


def cell_text(v):
    if v is None:
        return ""
    if isinstance(v, bool):
        return "True" if v else "False"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, dt.datetime):
        return v.isoformat(timespec="seconds")
    return str(v)


def load_table(path, spec):
    fmt = spec.get("format", "csv")
    if fmt == "csv":
        if spec.get("encoding", "utf-8").lower() not in ("utf-8", "utf8"):
            raise MappingError("only utf-8 is read here")
        with open(path, encoding="utf-8-sig", newline="") as f:  # a leading BOM is dropped
            return [list(r) for r in csv.reader(f, delimiter=spec.get("delimiter", ","))]
    if fmt == "xlsx":
        import openpyxl
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        ws = wb[spec["sheet"]] if "sheet" in spec else wb.worksheets[0]
        return [[cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
    raise MappingError(f"unknown file format {fmt!r}")


class Table:
    def __init__(self, rows, header):
        n = header.get("rows", 1)
        self.names_rows = header.get("names", [1])
        width = max(len(r) for r in rows)
        rows = [r + [""] * (width - len(r)) for r in rows]
        self.head = [list(r) for r in rows[:n]]
        for r in header.get("carry", []):
            last = ""
            for j, v in enumerate(self.head[r - 1]):
                if norm(v):
                    last = v
                else:
                    self.head[r - 1][j] = last
        self.data = rows[n:]
        self.width = width
        self.import_row = header.get("import_id_row")
        self.names = [tuple(norm(self.head[r - 1][j]) for r in self.names_rows) for j in range(width)]

    def label(self, j):
        parts = [p for p in self.names[j] if p]
        return f"column {j + 1} " + repr(" / ".join(parts))

    def name_matches(self, j, want):
        name = self.names[j]
        if isinstance(want, str):
            return name[0] == norm(want) and all(p == "" for p in name[1:])
        want = tuple(norm(w) for w in want)
        if len(want) != len(name):
            raise MappingError(f"header {list(want)} has {len(want)} parts, names has {len(name)} rows")
        return name == want

    def resolve(self, sel, what):
        if isinstance(sel, (str, list)):
            hits = [j for j in range(self.width) if self.name_matches(j, sel)]
        elif "header" in sel:
            hits = [j for j in range(self.width) if self.name_matches(j, sel["header"])]
            if "occurrence" in sel:
                k = sel["occurrence"]
                hits = hits[k - 1:k] if 1 <= k <= len(hits) else []
        elif "import_id" in sel:
            if not self.import_row:
                raise MappingError(f"{what}: import_id needs header.import_id_row")
            hits = []
            for j in range(self.width):
                cell = self.head[self.import_row - 1][j]
                try:
                    if json.loads(cell).get("ImportId") == sel["import_id"]:
                        hits.append(j)
                except (ValueError, AttributeError):
                    pass
        elif "row" in sel and "text" in sel:
            hits = [j for j in range(self.width) if norm(self.head[sel["row"] - 1][j]) == norm(sel["text"])]
        elif "index" in sel:
            hits = [sel["index"] - 1] if 1 <= sel["index"] <= self.width else []
        else:
            raise MappingError(f"{what}: unknown column selector {sel!r}")
        if not hits and isinstance(sel, dict) and sel.get("optional"):
            return None
        if len(hits) != 1:
            found = ", ".join(self.label(j) for j in hits) or "none"
            raise MappingError(f"{what}: selector {sel!r} must name exactly one column (found {found})")
        return hits[0]


def template_match(want, cells):
    """False if the filled template does not match a column's cells; else the text its
    `{question}` stood for (None without one)."""
    want = [want] if isinstance(want, str) else list(want)
    if len(want) == 1 and len(cells) > 1:
        if any(c for c in cells[1:]):
            return False
        cells = cells[:1]
    if len(want) != len(cells):
        return False
    question = None
    for part, cell in zip(want, cells):
        part = norm(part)
        if "{question}" in part:
            before, after = part.split("{question}", 1)
            if not (cell.startswith(before) and cell.endswith(after)) or len(cell) < len(before) + len(after):
                return False
            q = cell[len(before):len(cell) - len(after)].strip()
            if not q:
                return False
            question = q
        elif cell != part:
            return False
    return question


def fill(template, text):
    if isinstance(template, str):
        return template.replace("{text}", text)
    return [t.replace("{text}", text) for t in template]


def vocabulary(spec):
    case = spec.get("case", "exact")
    key = (lambda s: norm(s).casefold()) if case == "insensitive" else norm
    vocab = {}

    def add(token, meaning):
        k = key(token)
        if k in vocab and vocab[k] != meaning:
            raise MappingError(f"answer {token!r} means both {vocab[k]!r} and {meaning!r}")
        vocab[k] = meaning

    for tok, rating in spec.get("ratings", {}).items():
        if not (isinstance(rating, int) and 1 <= rating <= 5):
            raise MappingError(f"rating for {tok!r} must be an integer 1..5")
        add(tok, str(rating))
    for tok in spec.get("na", []):
        add(tok, "na")
    for tok in spec.get("dk", []):
        add(tok, "dk")
    for tok in spec.get("blank", [""]):
        add(tok, "")
    if spec.get("scale"):
        for k, meaning in vocab.items():
            by_rule = one_rule(k)
            if by_rule not in (None, "") and by_rule == str(by_rule) and (by_rule in ("na", "dk") or 1 <= int(by_rule) <= 5) and by_rule != meaning:
                raise MappingError(f"answer {k!r} means both {meaning!r} and {by_rule!r} (the scale)")
    return key, vocab, bool(spec.get("scale"))


def run(mapping_path, def_id, def_version, statements, doc=None, file=None):
    m = doc if doc is not None else json.loads(mapping_path.read_text(encoding="utf-8"))
    if "preset" in m:
        m = overlay(json.loads((PRESETS / f"{m['preset']}.json").read_text(encoding="utf-8")), m)
    report = []
    if m.get("schema") != 1:
        raise MappingError(f"schema {m.get('schema')!r} is not 1")
    unknown = set(m) - TOP_KEYS
    if unknown:
        raise MappingError(f"unknown keys {sorted(unknown)}")
    d = m.get("definition", {})
    if d.get("id", def_id) != def_id or d.get("version", def_version) != def_version:
        raise MappingError(f"mapping is for {d}, definition is {def_id} {def_version}")
    table = Table(load_table(HERE / (file or m["source"]["file"]), m.get("file", {})), m.get("header", {}))
    used = {}

    def use(j, role):
        if j in used and not (used[j] == "filter" or role == "filter"):
            raise MappingError(f"{table.label(j)} is used as {used[j]} and as {role}")
        used.setdefault(j, role)
        return j

    personal = set()
    for sel in m.get("ignore", {}).get("personal", []):
        j = table.resolve(sel, "ignore.personal")
        if j is not None:
            personal.add(use(j, "personal"))
    for sel in m.get("ignore", {}).get("columns", []):
        j = table.resolve(sel, "ignore.columns")
        if j is not None:
            use(j, "ignored")

    def own(sel, role):
        j = table.resolve(sel, role)
        if j in personal:
            raise MappingError(f"{table.label(j)} is personal data and cannot be the {role}")
        return use(j, role)

    resp = m["respondent"]
    resp_col = None if resp.get("numbered") else own(resp["column"], "respondent")
    reading_col = own(m["reading"]["column"], "reading") if "reading" in m else None
    group = m.get("group")
    group_col = own(group["column"], "group") if group else None

    sets = []
    for k, s in enumerate(m["statements"]):
        if (reading_col is None) == ("reading" not in s):
            raise MappingError(f"statements[{k}]: give a reading here or a reading column, exactly one")
        if "reading" in s and s["reading"] not in READINGS:
            raise MappingError(f"statements[{k}]: reading {s['reading']!r}")
        cols = {}
        if s.get("match") == "text":
            matched = []
            hits = []  # (column, statement id, question)
            for sid, text in statements:
                want = fill(s["template"], text)
                for j in range(table.width):
                    if "row" in s:
                        cells = (norm(table.head[s["row"] - 1][j]),)
                    else:
                        cells = table.names[j]
                    q = template_match(want, cells)
                    if q is not False:
                        hits.append((j, sid, q))
            hits.sort(key=lambda h: h[0])
            questions = []
            for _, _, q in hits:
                if q is not None and q not in questions:
                    questions.append(q)
            if "question" in s:
                chosen = questions[s["question"] - 1] if s["question"] <= len(questions) else "\0none"
            elif len(questions) > 1:
                raise MappingError(f"statements[{k}]: the template matches several questions {questions}")
            else:
                chosen = questions[0] if questions else None
            hits = [h for h in hits if h[2] is None or h[2] == chosen]
            for j, sid, _ in hits:
                if sid in cols:
                    raise MappingError(f"statements[{k}]: {sid} matches 2 columns")
                cols[sid] = own_statement(j, sid, use, personal, table)
                matched.append(sid)
            missing = [sid for sid, _ in statements if sid not in cols]
            if missing and s.get("require", "all") == "all":
                raise MappingError(f"statements[{k}]: no column for {missing}")
            report.append(f"statements[{k}] matched by text: {len(matched)} of {len(statements)}"
                          + (f", not found: {missing}" if missing else ""))
        else:
            known = {sid for sid, _ in statements}
            for sid, sel in s["columns"].items():
                if sid not in known:
                    raise MappingError(f"statements[{k}]: {sid} is not a statement of the definition")
                j = table.resolve(sel, sid)
                if j is not None:
                    cols[sid] = own_statement(j, sid, use, personal, table)
        sets.append((s.get("reading"), cols, vocabulary({**m["answers"], **s.get("answers", {})})))

    filters = []
    for f in m.get("filters", []):
        j = table.resolve(f["column"], "filter")
        if j in personal:
            raise MappingError(f"{table.label(j)} is personal data and cannot be a filter")
        filters.append((use(j, "filter"), f))

    loose = [table.label(j) for j in range(table.width) if j not in used]
    if loose:
        raise MappingError("columns neither mapped nor ignored: " + "; ".join(loose))

    def keep(row):
        for j, f in filters:
            v = norm(row[j])
            if "equals" in f and v != norm(f["equals"]):
                return f
            if "in" in f and v not in {norm(x) for x in f["in"]}:
                return f
            if f.get("not_empty") and v == "":
                return f
        return None

    out = {}  # (respondent, reading) -> answers, insertion ordered
    order = []
    groups = {}
    dropped = {}
    for n, row in enumerate(table.data, start=1):
        if all(norm(v) == "" for v in row):
            continue
        failed = keep(row)
        if failed is not None:
            key = json.dumps(failed, ensure_ascii=False)
            dropped[key] = dropped.get(key, 0) + 1
            continue
        where = f"data row {n}"
        rid = f"{resp.get('prefix', '')}{n}" if resp_col is None else norm(row[resp_col])
        if not rid:
            raise MappingError(f"{where}: empty respondent")
        if rid not in order:
            order.append(rid)
        if group_col is not None:
            g = norm(row[group_col])
            if g and "values" in group:
                if g not in group["values"]:
                    raise MappingError(f"{where}, {table.label(group_col)}: group value {g!r} not in values")
                g = group["values"][g]
            scope = group.get("scope", "row")
            if g or scope == "row":
                if rid in groups and groups[rid] != g:
                    raise MappingError(f"{where}: respondent {rid} has groups {groups[rid]!r} and {g!r}")
                groups[rid] = g
        row_reading = None
        if reading_col is not None:
            v = norm(row[reading_col])
            if v not in m["reading"]["values"]:
                raise MappingError(f"{where}, {table.label(reading_col)}: reading value {v!r} not in values")
            row_reading = m["reading"]["values"][v]
        for reading, cols, (key, vocab, scale) in sets:
            reading = reading or row_reading
            answers = {}
            for sid, j in cols.items():
                v = key(row[j])
                if v in vocab:
                    answers[sid] = vocab[v]
                elif scale and one_rule(row[j]) is not None:
                    answers[sid] = one_rule(row[j])
                else:
                    raise MappingError(f"{where}, {table.label(j)}: answer {row[j]!r} is not in the vocabulary")
                if answers[sid] not in ("", "na", "dk") and not 1 <= int(answers[sid]) <= 5:
                    raise MappingError(f"{where}, {table.label(j)}: rating {answers[sid]} is off the scale")
            if all(a == "" for a in answers.values()) and m.get("empty_reading", "absent") == "absent":
                continue
            if (rid, reading) in out:
                raise MappingError(f"{where}: second {reading} reading for respondent {rid}")
            out[(rid, reading)] = answers
    report.append(f"{len(table.data)} data rows, {len(out)} readings of {len(order)} respondents kept")
    for f, count in dropped.items():
        report.append(f"dropped {count} row(s) by filter {f}")
    report.append(f"{len(personal)} personal column(s) ignored: "
                  + ", ".join(table.label(j) for j in sorted(personal)))
    # Sanity: nothing taken from a personal column may look like an output value.
    personal_values = {norm(r[j]) for r in table.data for j in personal} - {""}
    leaks = [rid for rid in order if rid in personal_values]
    if leaks:
        raise MappingError(f"respondent ids equal personal values: {leaks}")
    ids = [sid for sid, _ in statements]
    result = []
    for rid in order:
        readings = {r: tuple(out[(rid, r)].get(s, "") for s in ids) for r in READINGS if (rid, r) in out}
        result.append((rid, groups.get(rid, ""), readings))
    return result, report


def own_statement(j, sid, use, personal, table):
    if j in personal:
        raise MappingError(f"{table.label(j)} is personal data and cannot be statement {sid}")
    return use(j, f"statement {sid}")


def canonical_direct(ids):
    result = []
    with open(HERE / "canonical.csv", encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            if not result or result[-1][0] != r["respondent"]:
                result.append((r["respondent"], r["group"], {}))
            result[-1][2][r["reading"] or "current"] = tuple(r.get(s, "").strip().lower() for s in ids)
    return result


def main():
    verbose = "-v" in sys.argv[1:]
    def_id, def_version, statements = definition()
    expected = canonical_direct([sid for sid, _ in statements])
    strip = [(g, readings) for _, g, readings in expected]
    passed = failed = 0
    for path in sorted(HERE.glob("*.mapping.json")):
        name = path.name[: -len(".mapping.json")]
        try:
            got, report = run(path, def_id, def_version, statements)
            problems = []
            if [(g, r) for _, g, r in got] != strip:
                for k, (want, have) in enumerate(zip(expected, got)):
                    if (want[1], want[2]) != (have[1], have[2]):
                        problems.append(f"respondent #{k + 1} ({want[0]} / {have[0]}) differs")
                if len(got) != len(expected):
                    problems.append(f"{len(got)} respondents, expected {len(expected)}")
            if name in ("canonical", "ms_forms") and [r for r, _, _ in got] != [r for r, _, _ in expected]:
                problems.append("respondent ids differ from canonical.csv")
            if problems:
                raise MappingError("; ".join(problems))
            passed += 1
            ids = ", ".join(f"{w[0]}={g[0]}" for w, g in zip(expected, got)) if verbose else ""
            print(f"ok   {name}")
            if verbose:
                for line in report:
                    print(f"     {line}")
                print(f"     ids: {ids}")
        except (MappingError, KeyError, OSError) as e:
            failed += 1
            print(f"FAIL {name}: {type(e).__name__}: {e}")
    cases = json.loads((HERE / "presets.json").read_text(encoding="utf-8"))["cases"]
    for case in cases:
        name = f"preset {case['mapping']['preset']} on {case['file']}"
        try:
            got, report = run(None, def_id, def_version, statements, case["mapping"], case["file"])
            if [(g, r) for _, g, r in got] != strip:
                raise MappingError("readings differ from canonical.csv")
            passed += 1
            print(f"ok   {name}")
            if verbose:
                for line in report:
                    print(f"     {line}")
        except (MappingError, KeyError, OSError) as e:
            failed += 1
            print(f"FAIL {name}: {type(e).__name__}: {e}")
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
