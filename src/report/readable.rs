//! The content of the readable reports, shared by the Markdown and terminal renderers so
//! that the two always say the same thing.

use super::words::Words;
use crate::model::{Cell, Force, Orientation, Perspective};
use crate::response::Reading;
use crate::score::Polarity;
use crate::score::Quantity;
use crate::stats::AgreementBand;
use crate::stats::Estimate;
use crate::summary::{CohortSummary, Disclosed, GroupSummary, Series};

/// One block of a readable report.
pub(crate) enum Block {
    Title(String),
    Heading(String),
    /// A heading within a section (a force, in the answers section).
    Subheading(String),
    Paragraph(String),
    Table(Table),
    /// Where the tension map goes, in formats that can draw it.
    TensionMap,
}

/// One cell of a readable table, as what it holds, so that each format renders it in its
/// own way (the page draws a bar, the workbook writes a count as a number) without reading
/// meaning back out of text.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Entry {
    /// Words: a name, a label or statement (escaped for the format), a reading.
    Text(String),
    /// A count of people or answers.
    Count(u64),
    /// A share in `[0, 1]`, written as a whole percentage.
    Share(f64),
    /// A figure written out: an estimate with its interval, or why it is undefined.
    Figure(String),
    /// A figure withheld by disclosure control.
    Withheld,
    /// A balance in `[-1, 1]`, drawn as a bar from mechanistic to relational.
    Bar(f64),
}

impl Entry {
    /// An empty cell.
    pub(crate) fn empty() -> Entry {
        Entry::Text(String::new())
    }
}

/// As the text formats write it: `withheld`, `42%`, the bar in characters.
impl std::fmt::Display for Entry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Entry::Text(t) | Entry::Figure(t) => f.write_str(t),
            Entry::Count(n) => write!(f, "{n}"),
            Entry::Share(share) => f.write_str(&percent(*share)),
            Entry::Withheld => f.write_str("withheld"),
            Entry::Bar(balance) => f.write_str(&bar(*balance)),
        }
    }
}

/// A table of cells; numbers are right-aligned.
pub(crate) struct Table {
    pub(crate) headers: Vec<String>,
    pub(crate) right: Vec<bool>,
    pub(crate) rows: Vec<Vec<Entry>>,
    /// For each row, shares in `[0, 1]` that a format able to draw may show as a stacked
    /// bar (the row's distribution); empty when the table has none.
    pub(crate) stacks: Vec<Option<Vec<f64>>>,
}

impl Table {
    fn new(headers: Vec<String>, right: Vec<bool>, rows: Vec<Vec<Entry>>) -> Table {
        Table {
            headers,
            right,
            rows,
            stacks: Vec::new(),
        }
    }
}

/// Width of a balance bar, in characters (odd, so that 0 has a middle).
pub(crate) const BAR_WIDTH: usize = 21;

/// A balance in `[-1, 1]` as a bar from mechanistic (left) to relational (right):
/// `·····███│··········`, filled from the middle to the value.
pub(crate) fn bar(balance: f64) -> String {
    let filled = bar_fill(balance);
    (0..BAR_WIDTH)
        .map(|i| {
            if i == BAR_WIDTH / 2 {
                '│'
            } else if filled.as_ref().is_some_and(|f| f.contains(&i)) {
                '█'
            } else {
                '·'
            }
        })
        .collect()
}

/// The cells of a balance's bar that are filled: from the value to the middle, which is
/// never filled (it marks 0); none for a balance that rounds to 0.
pub(crate) fn bar_fill(balance: f64) -> Option<std::ops::RangeInclusive<usize>> {
    let half = (BAR_WIDTH / 2) as f64;
    let at = (half + balance.clamp(-1.0, 1.0) * half).round() as usize;
    let mid = BAR_WIDTH / 2;
    match at.cmp(&mid) {
        std::cmp::Ordering::Less => Some(at..=mid - 1),
        std::cmp::Ordering::Equal => None,
        std::cmp::Ordering::Greater => Some(mid + 1..=at),
    }
}

fn signed(x: f64) -> String {
    let x = if x.abs() < 0.005 { 0.0 } else { x };
    format!("{x:+.2}")
}

/// A mean with its interval: `-0.23 [-0.26, -0.20]`; `n/a (one response)` and the like
/// where undefined; `withheld`.
fn estimate(value: &Disclosed<Estimate>) -> Entry {
    match value {
        Disclosed::Withheld => Entry::Withheld,
        Disclosed::Shown(s) => Entry::Figure(match (s.mean(), s.ci95()) {
            (Ok(m), Ok(ci)) => format!("{} [{}, {}]", signed(m), signed(ci.low), signed(ci.high)),
            (Ok(m), Err(_)) => signed(m),
            (Err(why), _) => format!("n/a ({why})"),
        }),
    }
}

fn mean(value: &Disclosed<Estimate>) -> Option<f64> {
    value.shown().and_then(|s| s.mean().ok())
}

fn n(value: &Disclosed<Estimate>) -> Entry {
    value
        .shown()
        .map_or(Entry::Withheld, |s| Entry::Count(s.n()))
}

/// A balance's bar, or nothing where there is no mean.
fn bar_of(value: &Disclosed<Estimate>) -> Entry {
    mean(value).map_or_else(Entry::empty, Entry::Bar)
}

/// The readable report, block by block, one section after another. `escape` makes text
/// that came from outside (group labels) safe for the format it goes into; what the crate
/// writes itself needs none.
pub(crate) fn blocks(summary: &CohortSummary, escape: Escape) -> Vec<Block> {
    let words = Words::of(summary);
    let mut out = Vec::new();
    let sections: [Section; 8] = [
        intro,
        tensions,
        leanings,
        perspective_gaps,
        groups,
        contested,
        unanswered,
        answers,
    ];
    for section in sections {
        section(summary, &words, escape, &mut out);
    }
    out
}

/// Makes text that came from outside safe for a format.
pub(crate) type Escape = fn(&str) -> String;

type Section = fn(&CohortSummary, &Words, Escape, &mut Vec<Block>);

/// The title and what the report is of.
fn intro(summary: &CohortSummary, _: &Words, _: Escape, out: &mut Vec<Block>) {
    let all = summary.all();
    out.push(Block::Title(
        "Living Well: where our system stands".to_owned(),
    ));
    let people = match all.respondents() {
        Disclosed::Shown(n) => format!("{n} respondents"),
        Disclosed::Withheld => "fewer respondents than the disclosure threshold".to_owned(),
    };
    let control = if summary.disclosure().controls() {
        let left_out = if summary.leaves_out() {
            " Respondents in groups too small to show, fewer than that together, are left out \
             of every figure."
        } else {
            ""
        };
        format!(
            " Each reading's figures are over the respondents with a complete profile.{left_out}"
        )
    } else {
        String::new()
    };
    let language = match summary.texts().and_then(|t| t.language()) {
        Some(language) => format!("; statements in language {language}"),
        None => String::new(),
    };
    out.push(Block::Paragraph(format!(
        "Definition {}{language}; ratings on {}; {}; {}.{control} Balances run from -1 (mechanistic) \
         to +1 (relational); intervals are 95% confidence intervals of the mean.",
        summary.definition(),
        summary.scale(),
        people,
        summary.disclosure()
    )));
}

/// The three tensions: each force balance now, wanted, and the aspiration gap.
fn tensions(summary: &CohortSummary, _: &Words, _: Escape, out: &mut Vec<Block>) {
    let all = summary.all();
    let desired = all.has_series(Series::Desired);
    let aspiration = all.has_series(Series::Aspiration);
    out.push(Block::Heading("The three tensions".to_owned()));
    let mut headers = vec![
        "Force".to_owned(),
        "Now".to_owned(),
        "mechanistic ← → relational".to_owned(),
    ];
    if desired {
        headers.push("Wanted".to_owned());
    }
    if aspiration {
        headers.push("Aspiration gap".to_owned());
    }
    let mut rows = Vec::new();
    let forces = Force::ALL
        .iter()
        .map(|&f| (f.title().to_owned(), Quantity::ForceBalance(f)))
        .chain(std::iter::once((
            "Relational index".to_owned(),
            Quantity::RelationalIndex,
        )));
    for (name, q) in forces {
        let now = all.quantity(Series::Current, q);
        let mut row = vec![Entry::Text(name), estimate(now), bar_of(now)];
        if desired {
            row.push(estimate(all.quantity(Series::Desired, q)));
        }
        if aspiration {
            row.push(estimate(all.quantity(Series::Aspiration, q)));
        }
        rows.push(row);
    }
    // Numbers align right; the force names and the bar (whose middle is 0) left.
    let right = headers
        .iter()
        .map(|h| h != "Force" && !h.starts_with("mechanistic"))
        .collect();
    out.push(Block::Table(Table::new(headers, right, rows)));
    out.push(Block::TensionMap);
}

/// Where each perspective leans: its balance, pole reading and agreement.
fn leanings(summary: &CohortSummary, _: &Words, _: Escape, out: &mut Vec<Block>) {
    let all = summary.all();
    out.push(Block::Heading("Where each perspective leans".to_owned()));
    let threshold = summary.options().threshold();
    let mut rows = Vec::new();
    for f in Force::ALL {
        for p in Perspective::ALL {
            let b = all.quantity(Series::Current, Quantity::Balance(f, p));
            let pole = |o| mean(all.quantity(Series::Current, Quantity::Pole(Cell::new(f, p, o))));
            let reading = match (
                pole(Orientation::Relational),
                pole(Orientation::Mechanistic),
            ) {
                (Some(r), Some(m)) => {
                    let read = Polarity::read(r, m, threshold);
                    format!("{} (R {:.2}, M {:.2})", read.pattern, r, m)
                }
                _ => "not enough ratings".to_owned(),
            };
            let agreement = Orientation::ALL
                .iter()
                .filter_map(|&o| {
                    let cell = Cell::new(f, p, o);
                    all.agreement(Reading::Current, cell)
                        .shown()
                        .and_then(|c| c.value().ok())
                        .map(|v| (o, v))
                })
                .map(|(o, v)| {
                    let band = AgreementBand::of(v);
                    let flag = if band.is_contested() {
                        " contested"
                    } else {
                        ""
                    };
                    format!("{} {:.2}{}", &o.as_str()[..1].to_uppercase(), v, flag)
                })
                .collect::<Vec<_>>()
                .join(", ");
            rows.push(vec![
                Entry::Text(f.title().to_owned()),
                Entry::Text(p.description().to_owned()),
                estimate(b),
                bar_of(b),
                Entry::Text(reading),
                Entry::Figure(agreement),
            ]);
        }
    }
    out.push(Block::Table(Table::new(
        [
            "Force",
            "Perspective",
            "Balance now",
            "mechanistic ← → relational",
            "Pole reading",
            "Agreement r_wg",
        ]
        .map(str::to_owned)
        .to_vec(),
        vec![false, false, true, false, false, false],
        rows,
    )));
    out.push(Block::Paragraph(format!(
        "A pole is alive when its mean score is at least {threshold}: relational alive and \
         mechanistic not reads relational, both alive reads held in tension. Agreement is \
         r_wg(J) on the relational (R) and mechanistic (M) statements; below .51 a mean hides \
         a split view and is marked contested."
    )));
}

/// The perspective gaps, now and wanted.
fn perspective_gaps(summary: &CohortSummary, _: &Words, _: Escape, out: &mut Vec<Block>) {
    let all = summary.all();
    let desired = all.has_series(Series::Desired);
    out.push(Block::Heading("Perspective gaps".to_owned()));
    let mut rows = Vec::new();
    for f in Force::ALL {
        let q = Quantity::PerspectiveGap(f);
        let mut row = vec![
            Entry::Text(f.title().to_owned()),
            estimate(all.quantity(Series::Current, q)),
        ];
        if desired {
            row.push(estimate(all.quantity(Series::Desired, q)));
        }
        rows.push(row);
    }
    let mut headers = vec!["Force".to_owned(), "People - practitioners, now".to_owned()];
    if desired {
        headers.push("Wanted".to_owned());
    }
    let right = headers.iter().map(|h| h != "Force").collect();
    out.push(Block::Table(Table::new(headers, right, rows)));
    out.push(Block::Paragraph(
        "A positive gap: the system is more relational towards people with mental health needs \
         than it lets its practitioners be; negative, the reverse."
            .to_owned(),
    ));
}

/// The groups side by side.
fn groups(summary: &CohortSummary, _: &Words, escape: Escape, out: &mut Vec<Block>) {
    if !summary.groups().is_empty() {
        out.push(Block::Heading("Groups".to_owned()));
        let mut rows = Vec::new();
        for g in summary.all_and_groups() {
            rows.push(group_row(g, escape));
        }
        out.push(Block::Table(Table::new(
            [
                "Group",
                "n",
                "Purpose",
                "Power",
                "Practice",
                "Relational index",
            ]
            .map(str::to_owned)
            .to_vec(),
            vec![false, true, true, true, true, true],
            rows,
        )));
        out.push(Block::Paragraph(
            "Force balances now, mean and 95% interval; n counts respondents with a relational \
             index."
                .to_owned(),
        ));
    }
}

/// Where a group does not share a view: each contested cell, with its statements.
fn contested(summary: &CohortSummary, words: &Words, escape: Escape, out: &mut Vec<Block>) {
    let mut rows = Vec::new();
    for g in summary.all_and_groups() {
        for cell in Cell::ALL {
            let Some(stat) = g.agreement(Reading::Current, cell).shown() else {
                continue;
            };
            let Ok(v) = stat.value() else {
                continue;
            };
            if AgreementBand::of(v).is_contested() {
                rows.push(vec![
                    Entry::Text(escape(g.name())),
                    Entry::Text(cell.to_string()),
                    Entry::Text(statements_of(summary, words, escape, cell)),
                    Entry::Figure(format!("{v:.2}")),
                    Entry::Count(stat.n()),
                ]);
            }
        }
    }
    out.push(Block::Heading("Contested views".to_owned()));
    if rows.is_empty() {
        out.push(Block::Paragraph(
            "Every shown group agrees at least moderately (r_wg ≥ .51) on every cell.".to_owned(),
        ));
        return;
    }
    out.push(Block::Paragraph(
        "Where a group does not share a view (r_wg below .51), its mean is no shared position."
            .to_owned(),
    ));
    out.push(Block::Table(Table::new(
        ["Group", "Cell", "Statements", "r_wg", "n"]
            .map(str::to_owned)
            .to_vec(),
        vec![false, false, false, true, true],
        rows,
    )));
}

/// The texts of `cell`'s statements, joined with ` / `.
fn statements_of(summary: &CohortSummary, words: &Words, escape: Escape, cell: Cell) -> String {
    (summary.positions_in(cell).iter())
        .filter_map(|&i| Some(escape(words.statement(summary.statements().get(i)?))))
        .collect::<Vec<_>>()
        .join(" / ")
}

/// The statements people most often could not answer.
fn unanswered(summary: &CohortSummary, words: &Words, escape: Escape, out: &mut Vec<Block>) {
    let all = summary.all();
    let mut unsure: Vec<(f64, Vec<Entry>)> = Vec::new();
    if let Disclosed::Shown(responses) = all.responses(Reading::Current)
        && responses > 0
    {
        for (i, id) in summary.statements().iter().enumerate() {
            if let Some(Disclosed::Shown(a)) = all.answers(Reading::Current, i) {
                let share = (a.not_applicable + a.dont_know) as f64 / responses as f64;
                if share > 0.0 {
                    unsure.push((
                        share,
                        vec![
                            Entry::Text(escape(words.statement(id))),
                            Entry::Share(share),
                            Entry::Count(a.dont_know),
                            Entry::Count(a.not_applicable),
                        ],
                    ));
                }
            }
        }
    }
    // Stable: equal shares keep the definition's order.
    unsure.sort_by(|a, b| b.0.total_cmp(&a.0));
    if !unsure.is_empty() {
        out.push(Block::Heading(
            "Statements people could not answer".to_owned(),
        ));
        out.push(Block::Paragraph(
            "Most often answered don't know or not applicable, as a share of everyone who \
             responded now:"
                .to_owned(),
        ));
        out.push(Block::Table(Table::new(
            [
                "Statement",
                "Could not answer",
                "Don't know",
                "Not applicable",
            ]
            .map(str::to_owned)
            .to_vec(),
            vec![false, true, true, true],
            unsure.into_iter().take(5).map(|(_, row)| row).collect(),
        )));
    }
}

fn group_row(g: &GroupSummary, escape: Escape) -> Vec<Entry> {
    let name = Entry::Text(escape(g.name()));
    if g.is_withheld() {
        let mut row = vec![name];
        row.extend(std::iter::repeat_n(Entry::Withheld, 5));
        return row;
    }
    let index = g.quantity(Series::Current, Quantity::RelationalIndex);
    let mut row = vec![name, n(index)];
    for f in Force::ALL {
        row.push(estimate(
            g.quantity(Series::Current, Quantity::ForceBalance(f)),
        ));
    }
    row.push(estimate(index));
    row
}

/// The most points a scale may have for the answers section to give each its column.
const MAX_POINT_COLUMNS: u64 = 11;

/// How each statement was answered by the whole cohort now, force by force: the share of
/// the ratings at each point of the scale, with "don't know" and "not applicable" beside.
fn answers(summary: &CohortSummary, words: &Words, escape: Escape, out: &mut Vec<Block>) {
    let all = summary.all();
    if !all.has_series(Series::Current) {
        return;
    }
    out.push(Block::Heading("How each statement was answered".to_owned()));
    let scale = summary.scale();
    if scale.points() > MAX_POINT_COLUMNS {
        out.push(Block::Paragraph(format!(
            "The scale {scale} has too many points to give each a column; the JSON report \
             and the workbook give every statement's count at each point."
        )));
        return;
    }
    let points: Vec<i32> = (scale.min()..=scale.max()).collect();
    // Under control the shares and the counts beside them are over different people.
    let raters = if summary.disclosure().controls() {
        "of the respondents with a complete profile (the people behind every other figure of \
         the reading) who rated each statement"
    } else {
        "of those who rated each statement"
    };
    out.push(Block::Paragraph(format!(
        "The whole cohort's current reading: {raters}, how many rated it and the share at \
         each point of the scale ({}). Don't know and not applicable are counted apart, as \
         shares of everyone who responded.",
        points
            .iter()
            .map(|&r| escape(&point_name(summary, r)))
            .collect::<Vec<_>>()
            .join(", ")
    )));
    let responses = all.responses(Reading::Current).into_shown().unwrap_or(0);
    for force in Force::ALL {
        let mut rows = Vec::new();
        let mut stacks = Vec::new();
        let positions = (Cell::ALL.iter())
            .filter(|c| c.force == force)
            .flat_map(|&c| summary.positions_in(c).iter().copied());
        for i in positions {
            let Some(id) = summary.statements().get(i) else {
                continue;
            };
            let mut row = vec![Entry::Text(escape(words.statement(id)))];
            let counts = all.answers(Reading::Current, i).and_then(Disclosed::shown);
            let spread = all
                .distribution(Reading::Current, i)
                .and_then(Disclosed::shown);
            // The two are over different people and withheld by different tests.
            match spread {
                Some(d) => {
                    row.push(Entry::Count(d.rated()));
                    for &r in &points {
                        row.push(match d.share(r) {
                            Ok(share) => Entry::Share(share),
                            Err(_) => Entry::Figure("n/a (no ratings)".to_owned()),
                        });
                    }
                    stacks.push((d.rated() > 0).then(|| {
                        (points.iter())
                            .map(|&r| d.share(r).unwrap_or(0.0))
                            .collect()
                    }));
                }
                None => {
                    row.push(Entry::Withheld);
                    row.extend(std::iter::repeat_n(Entry::empty(), points.len()));
                    stacks.push(None);
                }
            }
            match counts {
                Some(a) => {
                    for n in [a.dont_know, a.not_applicable] {
                        row.push(if responses > 0 {
                            Entry::Share(n as f64 / responses as f64)
                        } else {
                            Entry::Figure("n/a (no responses)".to_owned())
                        });
                    }
                }
                None => row.extend(std::iter::repeat_n(Entry::Withheld, 2)),
            }
            rows.push(row);
        }
        if rows.is_empty() {
            continue;
        }
        out.push(Block::Subheading(force.title().to_owned()));
        if let Some(description) = words.force(force) {
            out.push(Block::Paragraph(escape(description)));
        }
        let mut headers = vec!["Statement".to_owned(), "Rated".to_owned()];
        headers.extend(points.iter().map(|&r| escape(&point_name(summary, r))));
        headers.extend(["Don't know".to_owned(), "Not applicable".to_owned()]);
        let mut right = vec![true; headers.len()];
        right[0] = false;
        out.push(Block::Table(Table {
            headers,
            right,
            rows,
            stacks,
        }));
    }
}

/// A scale point as the answers section names it: `3 Somewhat` on a labelled scale, else
/// the number.
pub(crate) fn point_name(summary: &CohortSummary, rating: i32) -> String {
    match summary.scale().label(rating) {
        Some(label) => format!("{rating} {label}"),
        None => rating.to_string(),
    }
}

/// A share as a whole percentage: `42%`; `<1%` for a share above 0 that rounds to 0.
fn percent(share: f64) -> String {
    if share > 0.0 && share < 0.005 {
        "<1%".to_owned()
    } else {
        format!("{:.0}%", share * 100.0)
    }
}
