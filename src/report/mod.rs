//! Reports of a [`CohortSummary`](crate::CohortSummary): tidy CSV, JSON, Markdown, terminal text and an SVG
//! tension map.
//!
//! Every report shows only what the summary discloses: a withheld group or statistic
//! appears as withheld, with no number, in all of them.

mod json;
mod markdown;
mod readable;
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
