"""``python -m living_well FILE``: a CSV of responses in, a report out (no pandas needed).

    python -m living_well responses.csv                      # the tidy CSV
    python -m living_well responses.csv --format markdown --min-group 10
    python -m living_well responses.csv --format svg > map.svg

Formats: csv (the tidy table), json, markdown, text, svg. Errors print one line and exit 1.
"""
from __future__ import annotations

import argparse
import sys

import living_well as lw


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m living_well", description=__doc__.split("\n")[0])
    ap.add_argument("responses", help="a CSV of responses, wide or long layout")
    ap.add_argument("--format", choices=["csv", "json", "markdown", "text", "svg"], default="csv")
    ap.add_argument("--min-group", type=int, default=5, metavar="K",
                    help="withhold statistics of fewer than K respondents (default 5)")
    ap.add_argument("--scale", default="1..5", help="the rating scale, MIN..MAX (default 1..5)")
    ap.add_argument("--coverage", type=float, default=0.5)
    ap.add_argument("--listwise", action="store_true", help="listwise deletion for alpha")
    a = ap.parse_args(argv)
    try:
        scorer = lw.Scorer(scale=a.scale, coverage=a.coverage)
        cohort = lw.read_csv(a.responses, scorer=scorer,
                             missing_data="listwise" if a.listwise else "pairwise")
    except (lw.LivingWellError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    summary = cohort.summarise(a.min_group)
    report = {"csv": summary.to_csv, "json": summary.to_json, "markdown": summary.to_markdown,
              "text": summary.to_text, "svg": summary.to_svg}[a.format]
    sys.stdout.write(report())
    return 0


if __name__ == "__main__":
    sys.exit(main())
