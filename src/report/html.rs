//! The HTML report: one self-contained page for a workshop's "balcony" view.

use std::fmt::Write;

use super::markup::escape;
use super::readable::{BAR_WIDTH, Block, Entry, Table, bar_fill, blocks};
use super::svg::to_svg;
use super::words::Words;
use crate::summary::CohortSummary;

/// The summary as one self-contained HTML page, for a workshop's "balcony" view on a
/// projector, a phone or paper: the same content as [`to_markdown`](super::to_markdown)
/// (the three tensions first, then where each perspective leans, the perspective gaps, the
/// groups side by side, contested views, what people could not answer), with the
/// [tension map](super::to_svg) drawn inline after the tensions, and each statement's
/// answer distribution as a stacked bar beside its numbers.
///
/// The page fetches nothing: its style sheet (with a print style) and pictures are inline,
/// and it has no scripts. Every text that came from outside (group labels, statement
/// texts, scale labels) is escaped. `<html lang>` is the language of the statement texts
/// (`en` when the report does not know them, as the page's own words are English; where
/// the texts are in another language, the page's own words are marked `lang="en"`).
/// Withheld figures read "withheld (fewer than k)", and undefined ones say why.
///
/// ```
/// use living_well::{report, CohortBuilder, Definition, Disclosure, Scorer};
/// let scorer = Scorer::new(Definition::living_well());
/// let mut cohort = CohortBuilder::new(scorer.clone());
/// for (id, rating) in [("r1", 4), ("r2", 2), ("r3", 5)] {
///     let mut r = scorer.response(id)?;
///     r.group("<b>ward</b>")?.rate("purpose.people.relational.1", rating)?;
///     cohort.add(&r.build())?;
/// }
/// let summary = cohort.finish()?.summarise(&Disclosure::new(1));
/// let html = report::to_html(&summary);
/// assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
/// assert!(html.contains("<title>Living Well: where our system stands</title>"));
/// assert!(html.contains("&lt;b&gt;ward&lt;/b&gt;"));
/// assert!(!html.contains("<script"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn to_html(summary: &CohortSummary) -> String {
    let words = Words::of(summary);
    let language = words.language().unwrap_or("en");
    // The page's own words are English: say so where the texts are not.
    let own = if primary(language) == "en" {
        ""
    } else {
        " lang=\"en\""
    };
    let withheld = if summary.disclosure().controls() {
        format!("withheld (fewer than {})", summary.disclosure().min_group())
    } else {
        "withheld".to_owned()
    };
    let page = Page {
        summary,
        own,
        language,
        withheld: &withheld,
    };
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"living-well {}\">\n",
        escape(language),
        env!("CARGO_PKG_VERSION"),
    );
    let mut body = String::new();
    let mut open = false;
    for block in blocks(summary, str::to_owned) {
        page.block(&mut out, &mut body, &mut open, block);
    }
    if open {
        body.push_str("</section>\n");
    }
    out.push_str("<style>\n");
    out.push_str(STYLE);
    out.push_str("</style>\n</head>\n<body>\n<main>\n");
    out.push_str(&body);
    let _ = writeln!(
        out,
        "<footer{own}><p>{}. Made by living-well {}.</p></footer>\n</main>\n</body>\n</html>",
        escape(&summary.definition().to_string()),
        env!("CARGO_PKG_VERSION"),
    );
    out
}

/// Writes the HTML report (see [`to_html`]) to `out`.
///
/// # Errors
///
/// Any I/O error of `out`.
pub fn write_html<W: std::io::Write>(summary: &CohortSummary, mut out: W) -> std::io::Result<()> {
    out.write_all(to_html(summary).as_bytes())
}

/// The primary subtag of a language tag, lowercased: `en` of `en-GB`.
fn primary(tag: &str) -> String {
    tag.split('-').next().unwrap_or(tag).to_ascii_lowercase()
}

struct Page<'a> {
    summary: &'a CohortSummary,
    /// ` lang="en"` on the page's own words where the texts are in another language.
    own: &'static str,
    language: &'a str,
    withheld: &'a str,
}

impl Page<'_> {
    /// Renders one block: the title into the head and body, the rest into the body, a
    /// heading opening a new section.
    fn block(&self, head: &mut String, body: &mut String, open: &mut bool, block: Block) {
        let own = self.own;
        match block {
            Block::Title(t) => {
                let _ = writeln!(head, "<title>{}</title>", escape(&t));
                let _ = writeln!(body, "<h1{own}>{}</h1>", escape(&t));
            }
            Block::Heading(h) => {
                if *open {
                    body.push_str("</section>\n");
                }
                *open = true;
                let _ = writeln!(body, "<section>\n<h2{own}>{}</h2>", escape(&h));
            }
            Block::Subheading(h) => {
                let _ = writeln!(body, "<h3{own}>{}</h3>", escape(&h));
            }
            Block::Paragraph(p) => {
                let _ = writeln!(body, "<p{own}>{}</p>", escape(&p));
            }
            Block::Table(t) => self.table(body, &t),
            Block::TensionMap => {
                let svg = to_svg(self.summary);
                let svg = svg
                    .split_once("?>\n")
                    .map_or(svg.as_str(), |(_, rest)| rest);
                let _ = writeln!(
                    body,
                    "<figure class=\"map\">\n{}<figcaption{own}>The tension map: each \
                     perspective's balance now (dot) with its 95% interval (line), for the \
                     whole cohort and each group{}.</figcaption>\n</figure>",
                    svg,
                    if self.summary.all().has_series(crate::Series::Desired) {
                        ", and an arrow to the balance wanted"
                    } else {
                        ""
                    }
                );
            }
        }
    }

    fn table(&self, body: &mut String, t: &Table) {
        let own = self.own;
        let stacked = !t.stacks.is_empty();
        let _ = writeln!(body, "<div class=\"table\"><table{own}>\n<thead><tr>");
        let points = t.headers.len().saturating_sub(4);
        for (i, h) in t.headers.iter().enumerate() {
            // The answers table's point columns carry their colour in the bar.
            let swatch = if stacked && (2..2 + points).contains(&i) {
                format!(
                    "<span class=\"swatch\" style=\"background: {}\"></span>",
                    shade(i - 2, points)
                )
            } else {
                String::new()
            };
            let _ = write!(
                body,
                "<th scope=\"col\"{}>{swatch}{}</th>",
                align(t, i),
                escape(h)
            );
            if stacked && i == 0 {
                body.push_str("<th scope=\"col\">Spread</th>");
            }
        }
        body.push_str("</tr></thead>\n<tbody>\n");
        for (r, row) in t.rows.iter().enumerate() {
            body.push_str("<tr>");
            for (i, cell) in row.iter().enumerate() {
                if stacked && i == 0 {
                    // The statement is in the texts' language, inside the page's own words.
                    let lang = if own.is_empty() {
                        String::new()
                    } else {
                        format!(" lang=\"{}\"", escape(self.language))
                    };
                    let _ = write!(body, "<th scope=\"row\"{lang}>{}</th>", self.cell(cell));
                    let shares = t.stacks.get(r).and_then(Option::as_deref);
                    let _ = write!(body, "<td class=\"stack\">{}</td>", stack(shares));
                    continue;
                }
                let _ = write!(body, "<td{}>{}</td>", align(t, i), self.cell(cell));
            }
            body.push_str("</tr>\n");
        }
        body.push_str("</tbody>\n</table></div>\n");
    }

    /// A table cell's content: a balance bar drawn, a withheld figure said in full, and
    /// any text escaped.
    fn cell(&self, entry: &Entry) -> String {
        match entry {
            Entry::Withheld => {
                format!("<span class=\"withheld\">{}</span>", escape(self.withheld))
            }
            Entry::Bar(balance) => balance_bar(*balance),
            entry => escape(&entry.to_string()),
        }
    }
}

fn align(t: &Table, column: usize) -> &'static str {
    if t.right.get(column).copied().unwrap_or(false) {
        " class=\"num\""
    } else {
        ""
    }
}

/// A balance's bar drawn as a small SVG: the readable reports' text bar, cell for cell,
/// filled from the middle (0) to the value.
fn balance_bar(balance: f64) -> String {
    let mid = BAR_WIDTH / 2;
    let mut svg = format!(
        "<svg class=\"bar\" viewBox=\"0 0 {BAR_WIDTH} 4\" preserveAspectRatio=\"none\" \
         aria-hidden=\"true\"><rect width=\"{BAR_WIDTH}\" height=\"4\" fill=\"#eeeeee\"/>"
    );
    if let Some(filled) = bar_fill(balance) {
        let (first, last) = (*filled.start(), *filled.end());
        let fill = if first < mid { "#b5651d" } else { "#1b7f79" };
        let _ = write!(
            svg,
            "<rect x=\"{first}\" width=\"{}\" height=\"4\" fill=\"{fill}\"/>",
            last + 1 - first
        );
    }
    let _ = write!(
        svg,
        "<rect x=\"{mid}.4\" width=\"0.2\" height=\"4\" fill=\"#222222\"/></svg>"
    );
    svg
}

/// Shares at each point of a scale as a stacked bar, lowest point on the left, each point a
/// shade from light to dark; an empty bar when there are none (withheld or nobody rated).
fn stack(shares: Option<&[f64]>) -> String {
    let mut svg = String::from(
        "<svg class=\"stack\" viewBox=\"0 0 100 6\" preserveAspectRatio=\"none\" \
         aria-hidden=\"true\">",
    );
    match shares {
        None => svg.push_str("<rect width=\"100\" height=\"6\" fill=\"#f2f2f2\"/>"),
        Some(shares) => {
            let mut x = 0.0;
            for (i, share) in shares.iter().enumerate() {
                let w = share.clamp(0.0, 1.0) * 100.0;
                if w > 0.0 {
                    let _ = write!(
                        svg,
                        "<rect x=\"{x:.3}\" width=\"{w:.3}\" height=\"6\" fill=\"{}\"/>",
                        shade(i, shares.len())
                    );
                }
                x += w;
            }
        }
    }
    svg.push_str("</svg>");
    svg
}

/// The colour of point `i` of `n`: one blue from light (lowest) to dark (highest).
pub(crate) fn shade(i: usize, n: usize) -> String {
    let t = if n > 1 {
        i as f64 / (n - 1) as f64
    } else {
        1.0
    };
    format!("hsl(205, 65%, {:.0}%)", 86.0 - t * 60.0)
}

/// The page's style sheet: large type for a projector, tables that scroll sideways on a
/// phone, and a print style.
const STYLE: &str = r#":root { color-scheme: light; }
body { margin: 0; background: #ffffff; color: #1a1a1a;
  font: 18px/1.45 "Helvetica Neue", Helvetica, Arial, sans-serif; }
main { max-width: 72rem; margin: 0 auto; padding: 1rem 1.25rem 3rem; }
h1 { font-size: 2rem; margin: 0.5rem 0 0.75rem; }
h2 { font-size: 1.5rem; margin: 2.25rem 0 0.5rem; border-bottom: 2px solid #1b7f79; }
h3 { font-size: 1.2rem; margin: 1.5rem 0 0.25rem; }
p { max-width: 60rem; }
.table { overflow-x: auto; margin: 0.75rem 0; }
table { border-collapse: collapse; font-size: 0.95rem; }
th, td { padding: 0.3rem 0.6rem; border-bottom: 1px solid #d9d9d9; text-align: left;
  vertical-align: top; }
thead th { background: #f3f6f6; }
tbody th { font-weight: normal; min-width: 16rem; max-width: 34rem; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.withheld { color: #6b4e00; font-style: italic; white-space: nowrap; }
.swatch { display: inline-block; width: 0.8em; height: 0.8em; margin-right: 0.3em;
  vertical-align: -0.05em; border: 1px solid #999999; }
svg.bar { width: 9rem; height: 0.9rem; vertical-align: middle; }
td.stack { min-width: 8rem; }
svg.stack { width: 100%; min-width: 8rem; height: 1rem; vertical-align: middle; }
figure.map { margin: 1rem 0; overflow-x: auto; }
figure.map svg { max-width: 100%; height: auto; }
figcaption { color: #444444; font-size: 0.9rem; }
footer { margin-top: 3rem; color: #555555; font-size: 0.85rem; }
@media (max-width: 40rem) {
  body { font-size: 16px; }
  main { padding: 0.5rem 0.75rem 2rem; }
  h1 { font-size: 1.5rem; }
  tbody th { min-width: 12rem; }
}
@media print {
  body { font-size: 10pt; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; }
  section { break-inside: auto; }
  tr, figure { break-inside: avoid; }
  .table, figure.map { overflow: visible; }
  * { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bar_is_drawn_cell_for_cell_as_the_text_bar() {
        // +0.3: the text bar `··········│███·······`, cells 11 to 13.
        assert_eq!(super::super::readable::bar(0.3), "··········│███·······");
        assert!(balance_bar(0.3).contains("<rect x=\"11\" width=\"3\""));
        // -0.2: `········██│··········`, cells 8 and 9.
        assert_eq!(super::super::readable::bar(-0.2), "········██│··········");
        assert!(balance_bar(-0.2).contains("<rect x=\"8\" width=\"2\""));
        // 0 fills nothing; the ends fill to the edge.
        assert_eq!(balance_bar(0.0).matches("<rect").count(), 2);
        assert!(balance_bar(-1.0).contains("<rect x=\"0\" width=\"10\""));
        assert!(balance_bar(1.0).contains("<rect x=\"11\" width=\"10\""));
    }

    #[test]
    fn shades_run_light_to_dark() {
        assert_eq!(shade(0, 5), "hsl(205, 65%, 86%)");
        assert_eq!(shade(4, 5), "hsl(205, 65%, 26%)");
        assert_eq!(shade(0, 1), "hsl(205, 65%, 26%)");
    }

    #[test]
    fn primary_subtags() {
        assert_eq!(primary("en-GB"), "en");
        assert_eq!(primary("CY"), "cy");
    }
}
