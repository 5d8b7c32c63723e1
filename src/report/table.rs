//! The one walk over a summary: which rows a report holds and in what order, shared by
//! the tidy CSV, the JSON report and the readable reports, so that none re-decides what to
//! show or skip.

use crate::model::{Cell, Force, Orientation, Perspective};
use crate::response::Reading;
use crate::score::{Quantity, QuantityKind};
use crate::stats::Estimate;
use crate::summary::{CellStatistic, CohortSummary, Disclosed, GroupSummary, Series};

/// The tidy table's columns, in order: the tidy CSV's header and the workbook's.
#[cfg(any(feature = "csv", feature = "workbook"))]
pub(crate) const COLUMNS: [&str; 13] = [
    "group",
    "reading",
    "quantity",
    "force",
    "perspective",
    "orientation",
    "n",
    "estimate",
    "sd",
    "se",
    "ci95_low",
    "ci95_high",
    "withheld",
];

/// One row of the tidy table: everything the tidy CSV and the JSON report hold.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Row<'a> {
    pub(crate) group: &'a str,
    pub(crate) series: Series,
    pub(crate) kind: RowKind,
    pub(crate) force: Option<Force>,
    pub(crate) perspective: Option<Perspective>,
    pub(crate) orientation: Option<Orientation>,
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
    Estimate(Estimate),
    Coefficient(CellStatistic),
}

/// Every row of the tidy table, in order: the whole cohort, then each group; within a
/// group, the current, desired and aspiration series (those anyone answered); within a
/// series, the quantities in [`Quantity::ALL`] order, then `rwg` for each cell and `alpha`
/// for each cell of two or more statements (readings only).
#[cfg(any(feature = "csv", feature = "workbook"))]
pub(crate) fn rows(summary: &CohortSummary) -> Vec<Row<'_>> {
    let mut rows = Vec::new();
    for group in summary.all_and_groups() {
        for series in series(summary) {
            rows.extend(figures(summary, group, series));
        }
    }
    rows
}

/// The series a report shows: those anyone in the cohort answered, in
/// [`Series::ALL`] order.
pub(crate) fn series(summary: &CohortSummary) -> impl Iterator<Item = Series> + '_ {
    (Series::ALL.into_iter()).filter(|&s| summary.all().has_series(s))
}

/// One group's rows of one series, in the table's order: the quantities in
/// [`Quantity::ALL`] order, then (readings only) `rwg` for each cell and `alpha` for each
/// cell of two or more statements.
pub(crate) fn figures<'a>(
    summary: &'a CohortSummary,
    group: &'a GroupSummary,
    series: Series,
) -> Vec<Row<'a>> {
    let mut rows: Vec<Row<'a>> = (Quantity::ALL.iter())
        .map(|&q| Row {
            group: group.name(),
            series,
            kind: RowKind::Quantity(q.kind()),
            force: q.force(),
            perspective: q.perspective(),
            orientation: q.orientation(),
            value: group.quantity(series, q).map(RowValue::Estimate),
        })
        .collect();
    let Some(reading) = series.reading() else {
        return rows;
    };
    let coefficients = [
        (RowKind::Rwg, GroupSummary::agreement as CellGetter<'a>),
        (RowKind::Alpha, GroupSummary::reliability),
    ];
    for (kind, get) in coefficients {
        for cell in Cell::ALL {
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
                value: get(group, reading, cell).map(RowValue::Coefficient),
            });
        }
    }
    rows
}

type CellGetter<'a> = fn(&'a GroupSummary, Reading, Cell) -> &'a Disclosed<CellStatistic>;

impl Row<'_> {
    /// The cell of an `rwg` or `alpha` row.
    pub(crate) fn cell(&self) -> Option<Cell> {
        Some(Cell::new(self.force?, self.perspective?, self.orientation?))
    }
}

/// A number as the reports write it: the shortest decimal that reads back as the same
/// `f64`, with `-0` written `0`.
#[cfg(feature = "csv")]
pub(crate) fn number(x: f64) -> String {
    if x == 0.0 {
        "0".to_owned()
    } else {
        format!("{x}")
    }
}
