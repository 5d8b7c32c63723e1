//! Responses in from CSV (feature `csv`).

mod reader;
mod records;

pub use reader::{
    ImportError, Layout, ResponseReader, Row, read_cohort, read_cohort_file, read_cohort_with,
    read_into,
};
