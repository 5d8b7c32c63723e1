//! The tidy CSV: one row per group, series and quantity.

use std::io;

use super::table::{COLUMNS, RowValue, number, rows};
use crate::summary::{CohortSummary, Disclosed};

/// The tidy CSV's columns, exactly and in order.
pub const TIDY_COLUMNS: [&str; 13] = COLUMNS;

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
/// A group label that a spreadsheet would run as a formula (one that starts with `=`, `+`,
/// `-`, `@`, a tab or a carriage return) is written with a `'` before it, as OWASP advises
/// against CSV injection; numbers are never changed.
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
    let mut w = ::csv::Writer::from_writer(out);
    w.write_record(TIDY_COLUMNS)?;
    let slug = |s: Option<&'static str>| s.unwrap_or("");
    let opt = |x: Option<f64>| x.map(number).unwrap_or_default();
    for row in rows(summary) {
        let mut record: Vec<String> = vec![
            spreadsheet_safe(row.group),
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

/// The tidy CSV as a string (see [`write_tidy_csv`]).
pub fn to_tidy_csv(summary: &CohortSummary) -> String {
    let mut out = Vec::new();
    // Writing to memory cannot fail, and every field is UTF-8.
    let _ = write_tidy_csv(summary, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// Text that a spreadsheet would run as a formula, neutralised with a leading `'` (OWASP's
/// rule for CSV injection); other text as it is. The test looks past leading spaces, and
/// takes the full-width forms too, since some importers trim or fold them first.
pub(crate) fn spreadsheet_safe(text: &str) -> String {
    let formula = ['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠'];
    if text.starts_with(formula) || text.trim_start().starts_with(formula) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::spreadsheet_safe;

    #[test]
    fn formulas_are_neutralised() {
        for bad in [
            "=HYPERLINK(\"x\")",
            "+cmd|' /C calc'!A0",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "\rx",
            " =1+1",
            "\u{3000}@x",
            "＝1+1",
        ] {
            assert_eq!(spreadsheet_safe(bad), format!("'{bad}"));
        }
        assert_eq!(spreadsheet_safe("clinician"), "clinician");
        assert_eq!(spreadsheet_safe("a=b"), "a=b");
    }
}
