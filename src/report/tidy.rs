//! The tidy CSV: one row per group, series and quantity.

use std::io;

use crate::model::{Cell, Force, Orientation, Perspective};
use crate::response::Reading;
use crate::score::{Quantity, QuantityKind};
use crate::stats::Estimate;
use crate::summary::{CellStatistic, CohortSummary, Disclosed, GroupSummary, Series};

/// The tidy CSV's columns, exactly and in order.
pub const TIDY_COLUMNS: [&str; 13] = [
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

/// Writes the summary as a tidy CSV: one row per group x reading x quantity, with the
/// columns of [`TIDY_COLUMNS`].
///
/// - `group`: the label, or `(all)` for the whole cohort (first);
/// - `reading`: `current`, `desired` or `aspiration` (desired - current, paired by
///   respondent); a series nobody answered is left out;
/// - `quantity`: `pole`, `balance`, `force_balance`, `perspective_gap`,
///   `relational_index`, `rwg` (every cell) or `alpha` (cells of two or more statements;
///   `rwg` and `alpha` for readings only);
/// - `force`, `perspective`, `orientation`: slugs, empty where the quantity has none;
/// - `n`: respondents with a value (for `rwg` and `alpha`: who rated at least one of the
///   cell's statements);
/// - `estimate`: the mean, or the coefficient for `rwg` and `alpha`; `sd`, `se`,
///   `ci95_low`, `ci95_high`: the sample standard deviation, standard error and 95%
///   Student-t interval of the mean; each empty where undefined or not applicable;
/// - `withheld`: `true` when disclosure control withholds the row, and then every number
///   in it is empty; else `false`.
///
/// Numbers are the shortest decimal that reads back as the same `f64`, with `.` as the
/// decimal point and never an exponent.
///
/// ```
/// use living_well::{report, Disclosure, Definition, Scorer, csv::read_cohort};
/// let csv = "respondent,purpose.people.relational.1\nr1,4\nr2,2\n";
/// let cohort = read_cohort(csv.as_bytes(), Scorer::new(Definition::living_well()))?;
/// let mut out = Vec::new();
/// report::write_tidy_csv(&cohort.summarise(&Disclosure::new(1)), &mut out)?;
/// let text = String::from_utf8(out)?;
/// assert!(text.starts_with("group,reading,quantity,force,perspective,orientation,n,estimate,"));
/// assert!(text.contains("\n(all),current,pole,purpose,people,relational,2,0.5,"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// Any I/O error of `out`.
pub fn write_tidy_csv<W: io::Write>(summary: &CohortSummary, out: W) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(TIDY_COLUMNS)?;
    let slug = |s: Option<&'static str>| s.unwrap_or("");
    let opt = |x: Option<f64>| x.map(number).unwrap_or_default();
    for row in rows(summary) {
        let mut record: Vec<String> = vec![
            row.group.to_owned(),
            row.series.as_str().to_owned(),
            row.kind.as_str().to_owned(),
            slug(row.force.map(|f| f.as_str())).to_owned(),
            slug(row.perspective.map(|p| p.as_str())).to_owned(),
            slug(row.orientation.map(|o| o.as_str())).to_owned(),
        ];
        let numbers: [String; 6] = match row.value {
            Disclosed::Withheld => Default::default(),
            Disclosed::Shown(RowValue::Estimate(s)) => {
                let ci = s.ci95().ok();
                [
                    s.n().to_string(),
                    opt(s.mean().ok()),
                    opt(s.sd().ok()),
                    opt(s.se().ok()),
                    opt(ci.map(|c| c.low)),
                    opt(ci.map(|c| c.high)),
                ]
            }
            Disclosed::Shown(RowValue::Coefficient(c)) => [
                c.n().to_string(),
                opt(c.value().ok()),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ],
        };
        record.extend(numbers);
        record.push(row.value.is_withheld().to_string());
        w.write_record(&record)?;
    }
    w.flush()?;
    Ok(())
}

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
                        Disclosed::Shown(s) => Disclosed::Shown(RowValue::Estimate(*s)),
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
