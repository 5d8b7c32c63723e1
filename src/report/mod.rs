//! Reports of a [`CohortSummary`]: tidy CSV, JSON, Markdown, terminal text and an SVG
//! tension map.
//!
//! Every report shows only what the summary discloses: a withheld group or statistic
//! appears as withheld, with no number, in all of them.

use crate::axes::{Cell, Force, Perspective};
use crate::quantity::{Quantity, QuantityKind};
use crate::response::Reading;
use crate::stats::Summary;
use crate::summary::{CellStatistic, CohortSummary, Disclosed, GroupSummary, Series};

mod json;
mod layout;
mod markdown;
mod svg;
mod text;
#[cfg(feature = "csv")]
mod tidy;

pub use json::{JSON_SCHEMA, to_json};
pub use markdown::to_markdown;
pub use svg::to_svg;
pub use text::to_text;
#[cfg(feature = "csv")]
pub use tidy::{TIDY_COLUMNS, write_tidy_csv};

/// One row of the tidy table: everything the tidy CSV and the JSON report hold.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Row<'a> {
    pub(crate) group: &'a str,
    pub(crate) series: Series,
    pub(crate) kind: RowKind,
    pub(crate) force: Option<Force>,
    pub(crate) perspective: Option<Perspective>,
    pub(crate) orientation: Option<crate::axes::Orientation>,
    pub(crate) value: Disclosed<RowValue>,
}

/// What a tidy row measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RowKind {
    Quantity(QuantityKind),
    Rwg,
    Alpha,
}

impl RowKind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            RowKind::Quantity(kind) => kind.as_str(),
            RowKind::Rwg => "rwg",
            RowKind::Alpha => "alpha",
        }
    }
}

/// The numbers of a shown row.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum RowValue {
    Summary(Summary),
    Coefficient(CellStatistic),
}

/// Every row of the tidy table, in order: the whole cohort, then each group; within a
/// group, the current, desired and aspiration series (those anyone answered); within a
/// series, the quantities in [`Quantity::ALL`] order, then `rwg` for each cell and `alpha`
/// for each cell of two or more statements (readings only).
pub(crate) fn rows(summary: &CohortSummary) -> Vec<Row<'_>> {
    let mut rows = Vec::new();
    for group in summary.all_and_groups() {
        for series in Series::ALL {
            if !summary.all().has_series(series) {
                continue;
            }
            for q in Quantity::ALL {
                rows.push(Row {
                    group: group.name(),
                    series,
                    kind: RowKind::Quantity(q.kind()),
                    force: q.force(),
                    perspective: q.perspective(),
                    orientation: q.orientation(),
                    value: match group.quantity(series, q) {
                        Disclosed::Shown(s) => Disclosed::Shown(RowValue::Summary(*s)),
                        Disclosed::Withheld => Disclosed::Withheld,
                    },
                });
            }
            let Some(reading) = series.reading() else {
                continue;
            };
            for (kind, stats) in [
                (
                    RowKind::Rwg,
                    cell_stats(group, reading, GroupSummary::agreement),
                ),
                (
                    RowKind::Alpha,
                    cell_stats(group, reading, GroupSummary::reliability),
                ),
            ] {
                for (cell, stat) in stats {
                    if kind == RowKind::Alpha && summary.cell_size(cell) < 2 {
                        continue;
                    }
                    rows.push(Row {
                        group: group.name(),
                        series,
                        kind,
                        force: Some(cell.force),
                        perspective: Some(cell.perspective),
                        orientation: Some(cell.orientation),
                        value: match stat {
                            Disclosed::Shown(s) => Disclosed::Shown(RowValue::Coefficient(*s)),
                            Disclosed::Withheld => Disclosed::Withheld,
                        },
                    });
                }
            }
        }
    }
    rows
}

fn cell_stats<'a>(
    group: &'a GroupSummary,
    reading: Reading,
    get: fn(&'a GroupSummary, Reading, Cell) -> &'a Disclosed<CellStatistic>,
) -> impl Iterator<Item = (Cell, &'a Disclosed<CellStatistic>)> {
    Cell::ALL
        .into_iter()
        .map(move |cell| (cell, get(group, reading, cell)))
}

/// A number as the reports write it: the shortest decimal that reads back as the same
/// `f64`, with `-0` written `0`.
pub(crate) fn number(x: f64) -> String {
    if x == 0.0 {
        "0".to_owned()
    } else {
        format!("{x}")
    }
}
