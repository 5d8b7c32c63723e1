#!/usr/bin/env python3
"""Write ms_forms.xlsx: the canonical.csv answers as Microsoft Forms' "Open in Excel" download.

Run from anywhere: `python3 tests/data/exports/make_ms_forms.py` (needs openpyxl:
`pip install openpyxl`). The output is byte-for-byte deterministic: workbook properties
carry a fixed date and the zip entries are rewritten with a fixed timestamp.

Form design (see README.md in this folder): the form is filled in once per reading. It
asks for the participant code printed on the invitation, a choice "Which reading are you
giving in this submission?" ("How things are now" / "How I want things to be"), the
respondent's group, then one Likert question whose 27 statements are the definition's
statement texts. Forms exports a Likert question as one column per statement, headed by the
statement text alone, so the statement columns are exactly the definition's texts.
The form is restricted to the organisation with "Record name" on, so Email and Name are
filled in (obviously fake values here).
"""
import csv
import datetime as dt
import io
import json
import pathlib
import re
import zipfile

from openpyxl import Workbook
from openpyxl.worksheet.table import Table, TableStyleInfo

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[2]
OUT = HERE / "ms_forms.xlsx"

LABELS = {"1": "Not at all", "2": "A little", "3": "Somewhat", "4": "Mostly", "5": "Completely",
          "dk": "Don't know", "na": "Not applicable", "": None}
READING = {"current": "How things are now", "desired": "How I want things to be"}
GROUP = {"lived experience": "Lived experience", "clinician": "Clinician", "commissioner": "Commissioner"}
FIRST = ["Alex", "Sam", "Jo", "Chris", "Robin", "Kim", "Charlie", "Jamie", "Morgan", "Frankie", "Ashley", "Taylor"]
Q_CODE = "Your participant code (printed on your invitation)"
Q_READING = "Which reading are you giving in this submission?"
Q_GROUP = "Which of these best describes you?"
FIXED = dt.datetime(2025, 5, 22, 9, 0, 0)


def definition():
    for rel in ("src/model/living_well.json", "src/living_well.json"):
        path = ROOT / rel
        if path.exists():
            data = json.loads(path.read_text(encoding="utf-8"))
            items = data.get("statements") or data["indicators"]
            return [(s["id"], s["text"]) for s in items]
    raise SystemExit("living_well.json not found under src/")


def main():
    statements = definition()
    rows = list(csv.DictReader(open(HERE / "canonical.csv", encoding="utf-8", newline="")))
    # Submissions: every "now" reading at the first workshop (14 May 2025), every "wanted"
    # reading a week later, each in respondent order.
    subs = [r for r in rows if r["reading"] == "current"] + [r for r in rows if r["reading"] == "desired"]

    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    header = ["ID", "Start time", "Completion time", "Email", "Name", "Last modified time",
              Q_CODE, Q_READING, Q_GROUP] + [text for _, text in statements]
    ws.append(header)
    for n, r in enumerate(subs, start=1):
        k = int(r["respondent"][1:])  # r01 -> 1
        day = dt.datetime(2025, 5, 14 if r["reading"] == "current" else 21, 10, 0, 0)
        start = day + dt.timedelta(minutes=4 * k, seconds=(17 * k) % 60)
        done = start + dt.timedelta(minutes=9 + k % 4, seconds=(29 * k) % 60)
        # r03 went back and edited the "now" submission the next morning
        modified = done + dt.timedelta(hours=22, minutes=5) if (r["respondent"], r["reading"]) == ("r03", "current") else None
        first = FIRST[k - 1]
        ws.append([n, start, done, f"{first.lower()}.example{k:02d}@example.org", f"{first} Example{k:02d}", modified,
                   r["respondent"], READING[r["reading"]], GROUP[r["group"]]] +
                  [LABELS[r[sid]] for sid, _ in statements])
    for row in ws.iter_rows(min_row=2, min_col=2, max_col=3):
        for cell in row:
            cell.number_format = "m/d/yy h:mm:ss"
    for cell in ws["F"][1:]:
        cell.number_format = "m/d/yy h:mm:ss"
    last = ws.cell(row=1, column=len(header)).column_letter
    table = Table(displayName="Table1", ref=f"A1:{last}{len(subs) + 1}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    ws.add_table(table)

    wb.properties.creator = "Microsoft Forms"
    wb.properties.created = FIXED
    wb.properties.modified = FIXED  # overwritten by openpyxl on save; pinned again below
    wb.properties.lastModifiedBy = None

    buf = io.BytesIO()
    wb.save(buf)
    # Rewrite the zip with a fixed timestamp on every entry, so the bytes never change.
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2025, 5, 22, 9, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                # openpyxl stamps "modified" with the time of saving: pin it too.
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(<)", rb"\g<1>2025-05-22T09:00:00Z\g<2>", data)
            dst.writestr(fixed, data)
    OUT.write_bytes(out.getvalue())
    print(f"wrote {OUT.relative_to(ROOT)} ({len(subs)} submissions)")


if __name__ == "__main__":
    main()
