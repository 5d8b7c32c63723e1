//! The terminal report.

use super::readable::{Block, blocks};
use crate::summary::CohortSummary;

/// The summary as plain text for a terminal: the same content as
/// [`to_markdown`](super::to_markdown), with aligned columns and bars drawn in block
/// characters. No colour or control codes, so it can be piped and logged.
///
/// ```
/// use living_well::{report, CohortBuilder, Definition, Disclosure, Scorer};
/// let scorer = Scorer::new(Definition::living_well());
/// let mut cohort = CohortBuilder::new(scorer.clone());
/// for (id, rating) in [("r1", 4), ("r2", 2), ("r3", 5)] {
///     let mut r = scorer.response(id)?;
///     r.rate("purpose.people.relational.1", rating)?;
///     cohort.add(&r.build())?;
/// }
/// let summary = cohort.finish()?.summarise(&Disclosure::new(1));
/// let text = report::to_text(&summary);
/// assert!(text.contains("The three tensions\n------------------"));
/// assert!(!text.contains('\u{1b}')); // no control codes
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn to_text(summary: &CohortSummary) -> String {
    let mut out = String::new();
    for block in blocks(summary, str::to_owned) {
        match block {
            Block::Title(t) => {
                out.push_str(&format!("{t}\n{}\n\n", "=".repeat(t.chars().count())));
            }
            Block::Heading(h) => {
                out.push_str(&format!("{h}\n{}\n", "-".repeat(h.chars().count())));
            }
            Block::Subheading(h) => out.push_str(&format!("{h}:\n")),
            Block::TensionMap => {}
            Block::Paragraph(p) => {
                out.push_str(&wrap(&p, 100));
                out.push_str("\n\n");
            }
            Block::Table(t) => {
                let width = |s: &str| s.chars().count();
                let rows: Vec<Vec<String>> = (t.rows.iter())
                    .map(|row| row.iter().map(ToString::to_string).collect())
                    .collect();
                let mut widths: Vec<usize> = t.headers.iter().map(|h| width(h)).collect();
                for row in &rows {
                    for (w, cell) in widths.iter_mut().zip(row) {
                        *w = (*w).max(width(cell));
                    }
                }
                // A long text (a statement) wraps within its column.
                for (w, &right) in widths.iter_mut().zip(&t.right) {
                    if !right {
                        *w = (*w).min(WRAP_AT);
                    }
                }
                let line = |cells: &[String]| {
                    let padded: Vec<String> = cells
                        .iter()
                        .zip(&widths)
                        .zip(&t.right)
                        .map(|((c, &w), &right)| {
                            let pad = " ".repeat(w.saturating_sub(width(c)));
                            if right {
                                format!("{pad}{c}")
                            } else {
                                format!("{c}{pad}")
                            }
                        })
                        .collect();
                    format!("{}\n", padded.join("  ").trim_end())
                };
                out.push_str(&line(&t.headers));
                let rules: Vec<String> = widths.iter().map(|&w| "-".repeat(w)).collect();
                out.push_str(&line(&rules));
                for row in &rows {
                    let cells: Vec<Vec<String>> = (row.iter().zip(&widths))
                        .map(|(cell, &w)| {
                            if width(cell) <= w {
                                vec![cell.clone()]
                            } else {
                                wrap(cell, w).lines().map(str::to_owned).collect()
                            }
                        })
                        .collect();
                    let height = cells.iter().map(Vec::len).max().unwrap_or(1);
                    for i in 0..height {
                        let parts: Vec<String> = (cells.iter())
                            .map(|lines| lines.get(i).cloned().unwrap_or_default())
                            .collect();
                        out.push_str(&line(&parts));
                    }
                }
                out.push('\n');
            }
        }
    }
    out
}

/// The widest a column of text gets before its texts wrap.
const WRAP_AT: usize = 60;

fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = 0;
    for word in text.split_whitespace() {
        let w = word.chars().count();
        if line > 0 && line + 1 + w > width {
            out.push('\n');
            line = 0;
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(word);
        line += w;
    }
    out
}

/// Writes the terminal report (see [`to_text`]) to `out`.
///
/// # Errors
///
/// Any I/O error of `out`.
pub fn write_text<W: std::io::Write>(summary: &CohortSummary, mut out: W) -> std::io::Result<()> {
    out.write_all(to_text(summary).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn wraps_at_word_boundaries() {
        assert_eq!(wrap("a bb ccc dddd", 6), "a bb\nccc\ndddd");
        assert_eq!(
            wrap("averyveryverylongword x", 5),
            "averyveryverylongword\nx"
        );
    }
}
