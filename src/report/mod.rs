//! Reports of a [`CohortSummary`](crate::CohortSummary): tidy CSV, JSON, Markdown,
//! terminal text, an SVG tension map, a self-contained HTML page and (feature `workbook`)
//! an `.xlsx` workbook.
//!
//! Every report shows only what the summary discloses: a withheld group or statistic
//! appears as withheld, with no number, in all of them. Which rows a report holds, and in
//! what order, is decided once (the table walk) for every format. Each format comes as a
//! string (`to_*`) and written to an [`io::Write`](std::io::Write) (`write_*`).

mod html;
mod json;
mod markdown;
mod markup;
mod readable;
mod svg;
mod table;
mod text;
#[cfg(feature = "csv")]
mod tidy;
mod words;
#[cfg(feature = "workbook")]
mod workbook;

pub use html::{to_html, write_html};
pub use json::{JSON_SCHEMA, to_json, write_json};
pub use markdown::{to_markdown, write_markdown};
pub use svg::{to_svg, write_svg};
pub use text::{to_text, write_text};
#[cfg(feature = "csv")]
pub use tidy::{TIDY_COLUMNS, to_tidy_csv, write_tidy_csv};
#[cfg(feature = "workbook")]
pub use workbook::{WorkbookError, to_workbook, write_workbook};
