//! [`CohortError`]: what can go wrong tallying, merging or reading back a cohort.

use std::fmt;

use crate::response::{GroupLabel, Reading, ResponseError, group_name};

/// What the origins in a [`CohortError`] count: where each response came from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Origin {
    /// The order of [`CohortBuilder::add`](crate::CohortBuilder::add) calls, from 1.
    #[default]
    Response,
    /// A line of an input file, from 1.
    Line,
    /// A row of a table or matrix, from 1.
    Row,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Origin::Response => "response",
            Origin::Line => "line",
            Origin::Row => "row",
        })
    }
}

/// The part in which two tallies that cannot merge differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Part {
    /// The definition's fingerprint.
    Definition,
    /// The rating scale.
    Scale,
    /// The scoring options.
    Options,
    /// The missing-data rule for alpha.
    MissingData,
    /// The statements' order.
    Statements,
    /// The kind of accumulator (exact or per response).
    Accumulators,
    /// The order responses come in ([`Order`](crate::cohort::Order)).
    Order,
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Part::Definition => "definition",
            Part::Scale => "scale",
            Part::Options => "scoring options",
            Part::MissingData => "missing-data rule",
            Part::Statements => "statement order",
            Part::Accumulators => "accumulators (one is per_response)",
            Part::Order => "order of responses (one is sorted by respondent)",
        })
    }
}

/// A builder setting that can no longer change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Setting {
    /// [`CohortBuilder::per_response`](crate::CohortBuilder::per_response).
    Accumulators,
    /// [`CohortBuilder::with_missing_data`](crate::CohortBuilder::with_missing_data).
    MissingData,
    /// [`CohortBuilder::with_order`](crate::CohortBuilder::with_order).
    Order,
}

impl fmt::Display for Setting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Setting::Accumulators => "accumulators",
            Setting::MissingData => "missing-data rule",
            Setting::Order => "order of responses",
        })
    }
}

/// What is wrong with a serialised cohort whose parts do not fit together.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum Damage {
    /// Groups are not in label order, or a label repeats.
    #[error("groups are not in label order, or repeat")]
    GroupOrder,
    /// The cells do not place every statement in exactly one of 12 non-empty cells.
    #[error("the cells do not place every statement exactly once")]
    Layout,
    /// A tally holds another number of entries than the definition implies.
    #[error("a tally does not hold one entry per quantity, statement or cell")]
    Shape,
    /// A count exceeds what holds it (answers above responses, responses or pairs above
    /// respondents).
    #[error("a count exceeds the responses or respondents it counts among")]
    Count,
    /// Respondents are counted without any response, or responses without respondents.
    #[error("respondents and responses do not match")]
    Respondents,
    /// A cell's covariances do not fit its statements or the missing-data rule.
    #[error("a cell's covariances do not fit its statements")]
    Covariance,
    /// An exact tally's answer patterns are out of order, out of range or do not add up to
    /// its responses.
    #[error("answer patterns do not add up to the responses")]
    Patterns,
    /// A sum is out of the range its count allows, or disagrees with the answer patterns.
    #[error("a sum is out of the range its count allows")]
    Sums,
    /// A statistic is out of its range (a pole mean outside [0, 1], say).
    #[error("a statistic is out of its range")]
    Range,
    /// Adding counts would overflow.
    #[error("counts overflow")]
    Overflow,
    /// The cohort mixes exact and per-response tallies.
    #[error("exact and per-response tallies are mixed")]
    Mixed,
}

/// What went wrong building, merging or reading back a cohort.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum CohortError {
    /// A response does not fit the definition or the scale.
    #[error(transparent)]
    Response(#[from] ResponseError),
    /// A respondent appears twice in one reading.
    #[error("respondent `{}` has two {reading} responses ({origin} {first} and {origin} {second})", crate::text::quote(&.respondent)
    )]
    DuplicateRespondent {
        /// The respondent.
        respondent: String,
        /// What the origins count.
        origin: Origin,
        /// The reading given twice.
        reading: Reading,
        /// Where the first was given.
        first: u64,
        /// Where the second was given.
        second: u64,
    },
    /// A respondent's group differs between their current and desired responses.
    #[error(
        "respondent `{}` is in group {} at {origin} {first} but in group {} at {origin} {second}",
        crate::text::quote(&.respondent),
        group_name(.first_group.as_ref()),
        group_name(.second_group.as_ref())
    )]
    GroupChanged {
        /// The respondent.
        respondent: String,
        /// What the origins count.
        origin: Origin,
        /// The first group.
        first_group: Option<GroupLabel>,
        /// The second group.
        second_group: Option<GroupLabel>,
        /// Where the first response was given.
        first: u64,
        /// Where the second was given.
        second: u64,
    },
    /// Responses said to be sorted by respondent ([`Order::Respondent`]) are not: this
    /// respondent comes after `previous`, against the order the ids kept until then, or
    /// comes back after another respondent.
    ///
    /// [`Order::Respondent`]: crate::cohort::Order::Respondent
    #[error(
        "respondent `{}` at {origin} {second} comes after `{}` at {origin} {first}, but the responses were to be sorted by respondent (ids ascending as text or in natural order, each respondent's responses together)",
        crate::text::quote(&.respondent),
        crate::text::quote(&.previous)
    )]
    OutOfOrder {
        /// The respondent out of order.
        respondent: String,
        /// The respondent before them.
        previous: String,
        /// What the origins count.
        origin: Origin,
        /// Where the previous respondent's last response was given.
        first: u64,
        /// Where this respondent's response was given.
        second: u64,
    },
    /// [`CohortBuilder::add_answers`](crate::CohortBuilder::add_answers) was given a slice
    /// of the wrong length.
    #[error("respondent `{}`: {found} answers given, but the definition has {expected} statements", crate::text::quote(&.respondent)
    )]
    AnswerCount {
        /// The respondent.
        respondent: String,
        /// The number of statements in the definition.
        expected: usize,
        /// The number of answers given.
        found: usize,
    },
    /// A builder's setting was changed after responses were added.
    #[error("cannot change the {setting} after responses have been added")]
    Started {
        /// The setting.
        setting: Setting,
    },
    /// Two cohorts or builders to merge were scored differently.
    #[error("cannot merge: the two differ in {part}")]
    Incompatible {
        /// What differs.
        part: Part,
    },
    /// A cohort would have more groups than it holds.
    #[error("a cohort holds at most {limit} groups")]
    TooManyGroups {
        /// The most groups a cohort holds ([`Cohort::MAX_GROUPS`](crate::Cohort::MAX_GROUPS)).
        limit: usize,
    },
    /// A desired-reading matrix does not pair with the current one, row by row.
    #[error(
        "the desired matrix does not pair with the current one: {}",
        match .row {
            Some(row) if .current == .desired => format!("row {row} is in another group"),
            _ => format!("{} rows against {}", .desired, .current),
        }
    )]
    Unpaired {
        /// Rows of the current matrix.
        current: usize,
        /// Rows of the desired matrix.
        desired: usize,
        /// The first row (from 0) whose group differs, if the counts agree.
        row: Option<usize>,
    },
    /// A serialised cohort is of a format this crate does not read.
    #[error(
        "cohort schema {found} is not supported (this crate reads schema {})",
        super::wire::SCHEMA
    )]
    UnsupportedSchema {
        /// The schema the document declares.
        found: u32,
    },
    /// A serialised cohort is not JSON of the cohort's shape.
    #[error("cohort JSON is invalid at line {line}, column {column}: {message}")]
    Json {
        /// Line of the error, from 1.
        line: usize,
        /// Column of the error, from 1.
        column: usize,
        /// What the JSON parser found.
        message: String,
    },
    /// A serialised cohort's parts do not fit together: damaged, or forged.
    #[error("cohort is damaged: {}{problem}", .group.as_ref().map(|g| format!("group {}: ", group_name(g.as_ref()))).unwrap_or_default())]
    Damaged {
        /// The group where the damage was found (`Some(None)`: respondents in no group).
        group: Option<Option<GroupLabel>>,
        /// What is wrong.
        problem: Damage,
    },
}
