//! The tidy table: the crate's tidy CSV, parsed into columns for a pandas DataFrame.
//!
//! The numbers are parsed with Rust's `f64::from_str`, which is correctly rounded, so each
//! is the very double the crate wrote (the CSV holds the shortest round-trip form).

use living_well::CohortSummary;
use living_well::report::{TIDY_COLUMNS, to_tidy_csv};
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyDict};

/// Whether the crate has an HTML report (`report::to_html`), for code written before it
/// had one: it has.
pub(crate) const HAS_HTML: bool = true;

/// The tidy CSV, as the crate writes it.
pub(crate) fn csv_text(summary: &CohortSummary) -> String {
    to_tidy_csv(summary)
}

#[derive(Default)]
struct Columns {
    text: [Vec<String>; 3],
    slugs: [Vec<Option<String>>; 3],
    n: Vec<i64>,
    n_missing: Vec<bool>,
    numbers: [Vec<u8>; 5],
    withheld: Vec<bool>,
}

fn parse(csv_text: &str) -> Result<Columns, String> {
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let header = reader.headers().map_err(|e| e.to_string())?;
    if header.iter().ne(TIDY_COLUMNS) {
        return Err(format!("unexpected header {header:?}"));
    }
    let mut c = Columns::default();
    for record in reader.records() {
        let record = record.map_err(|e| e.to_string())?;
        let field = |i: usize| record.get(i).unwrap_or_default();
        for i in 0..3 {
            c.text[i].push(field(i).to_owned());
            let slug = field(3 + i);
            c.slugs[i].push((!slug.is_empty()).then(|| slug.to_owned()));
        }
        let n = field(6);
        c.n_missing.push(n.is_empty());
        c.n.push(if n.is_empty() {
            0
        } else {
            n.parse().map_err(|_| format!("n `{n}`"))?
        });
        for i in 0..5 {
            let x = field(7 + i);
            let value = if x.is_empty() {
                f64::NAN
            } else {
                x.parse::<f64>().map_err(|_| format!("number `{x}`"))?
            };
            c.numbers[i].extend_from_slice(&value.to_ne_bytes());
        }
        c.withheld.push(match field(12) {
            "true" => true,
            "false" => false,
            other => return Err(format!("withheld `{other}`")),
        });
    }
    Ok(c)
}

/// The tidy table's columns, by name: strings as lists (`None` where a slug is empty), `n`
/// as `(int64 bytes, missing mask)`, the other numbers as float64 bytes (NaN where empty),
/// `withheld` as a list of bools.
pub(crate) fn columns<'py>(py: Python<'py>, csv_text: &str) -> PyResult<Bound<'py, PyDict>> {
    let c = py
        .detach(|| parse(csv_text))
        .map_err(|e| PyRuntimeError::new_err(format!("reading the tidy CSV: {e}")))?;
    let out = PyDict::new(py);
    let [group, reading, quantity] = c.text;
    out.set_item("group", group)?;
    out.set_item("reading", reading)?;
    out.set_item("quantity", quantity)?;
    let [force, perspective, orientation] = c.slugs;
    out.set_item("force", force)?;
    out.set_item("perspective", perspective)?;
    out.set_item("orientation", orientation)?;
    let n: Vec<u8> = c.n.iter().flat_map(|n| n.to_ne_bytes()).collect();
    out.set_item("n", (PyBytes::new(py, &n), c.n_missing))?;
    for (name, bytes) in TIDY_COLUMNS[7..12].iter().zip(&c.numbers) {
        out.set_item(*name, PyByteArray::new(py, bytes))?;
    }
    out.set_item("withheld", c.withheld)?;
    Ok(out)
}
