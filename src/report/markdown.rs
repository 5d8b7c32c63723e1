//! The Markdown report.

use super::readable::{Block, blocks};
use crate::summary::CohortSummary;

/// The summary as a Markdown report a workshop can read: the three tensions first (force
/// balances now, wanted and the aspiration gap, with bars), then where each perspective
/// leans with its pole reading and agreement, the perspective gaps, the groups side by
/// side, contested views, and the statements people most often could not answer.
///
/// Withheld groups and statistics read `withheld`.
pub fn to_markdown(summary: &CohortSummary) -> String {
    let mut out = String::new();
    for block in blocks(summary) {
        match block {
            Block::Title(t) => out.push_str(&format!("# {t}\n\n")),
            Block::Heading(h) => out.push_str(&format!("## {h}\n\n")),
            Block::Paragraph(p) => out.push_str(&format!("{p}\n\n")),
            Block::Table(t) => {
                let line = |cells: &[String]| format!("| {} |\n", cells.join(" | "));
                out.push_str(&line(&t.headers));
                let rule: Vec<String> = t
                    .right
                    .iter()
                    .map(|&r| {
                        if r {
                            "---:".to_owned()
                        } else {
                            "---".to_owned()
                        }
                    })
                    .collect();
                out.push_str(&line(&rule));
                for row in &t.rows {
                    let cells: Vec<String> = row.iter().map(|c| c.replace('|', "\\|")).collect();
                    out.push_str(&line(&cells));
                }
                out.push('\n');
            }
        }
    }
    out
}

/// Writes the Markdown report (see [`to_markdown`]) to `out`.
///
/// # Errors
///
/// Any I/O error of `out`.
pub fn write_markdown<W: std::io::Write>(
    summary: &CohortSummary,
    mut out: W,
) -> std::io::Result<()> {
    out.write_all(to_markdown(summary).as_bytes())
}
