//! The Markdown report.

use super::readable::{Block, blocks};
use crate::summary::CohortSummary;

/// The summary as a Markdown report a workshop can read: the three tensions first (force
/// balances now, wanted and the aspiration gap, with bars), then where each perspective
/// leans with its pole reading and agreement, the perspective gaps, the groups side by
/// side, contested views, and the statements people most often could not answer.
///
/// Withheld groups and statistics read `withheld`.
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
/// let markdown = report::to_markdown(&summary);
/// assert!(markdown.starts_with("# Living Well: where our system stands"));
/// assert!(markdown.contains("| Force | Now |"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn to_markdown(summary: &CohortSummary) -> String {
    let mut out = String::new();
    for block in blocks(summary, escape) {
        match block {
            Block::Title(t) => out.push_str(&format!("# {t}\n\n")),
            Block::Heading(h) => out.push_str(&format!("## {h}\n\n")),
            Block::Subheading(h) => out.push_str(&format!("### {h}\n\n")),
            Block::TensionMap => {}
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
                    let cells: Vec<String> = row.iter().map(ToString::to_string).collect();
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

/// Text from outside (a group label) escaped for Markdown and for the HTML a renderer makes
/// of it: `&`, `<`, `>` and `"` as character references, so that it holds no tag and no
/// autolink; and every other ASCII punctuation character that Markdown gives a meaning
/// (links and images, emphasis, code, tables, headings, lists, the `:` of an autolinked
/// URL) behind a backslash, which renders it as itself.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '(' | ')' | '#' | '+' | '-' | '.'
            | '!' | '|' | '~' | ':' | '=' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn user_text_cannot_become_markup() {
        assert_eq!(
            escape("<script>x</script>"),
            "&lt;script&gt;x&lt;/script&gt;"
        );
        assert_eq!(
            escape("[click](javascript:alert(1))"),
            "\\[click\\]\\(javascript\\:alert\\(1\\)\\)"
        );
        assert_eq!(escape("a|b *c* _d_"), "a\\|b \\*c\\* \\_d\\_");
        assert_eq!(escape("https://x.example"), "https\\://x\\.example");
        assert_eq!(escape("lived experience"), "lived experience");
    }
}
