//! The SVG tension map.

use std::fmt::Write;

use super::markup::escape;
use crate::model::{Force, Perspective};
use crate::score::Quantity;
use crate::summary::{CohortSummary, Disclosed, GroupSummary, Series};

const WIDTH: f64 = 820.0;
const AXIS_LEFT: f64 = 300.0;
const AXIS_RIGHT: f64 = 780.0;
const ROW: f64 = 22.0;
/// The hollow circle at the balance wanted.
const WANTED_RADIUS: f64 = 4.0;

fn x(balance: f64) -> f64 {
    AXIS_LEFT + (balance.clamp(-1.0, 1.0) + 1.0) / 2.0 * (AXIS_RIGHT - AXIS_LEFT)
}

fn colour(perspective: Perspective) -> &'static str {
    match perspective {
        Perspective::People => "#1b7f79",
        Perspective::Practitioners => "#7a4fa3",
    }
}

/// The summary as an SVG "tension map": for each force, an axis from mechanistic (-1,
/// left) to relational (+1, right), with each perspective's balance now for the whole
/// cohort and each group (a dot, and its 95% interval as a line), and, where desired
/// readings exist, an arrow to the balance wanted.
///
/// A self-contained SVG 1.1 document: no scripts, no external fonts or images. Withheld
/// groups are drawn as the word "withheld", with no mark on the axis.
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
/// let svg = report::to_svg(&summary);
/// assert!(svg.starts_with("<?xml"));
/// assert!(svg.contains("<title>Living Well tension map</title>"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn to_svg(summary: &CohortSummary) -> String {
    let groups: Vec<&GroupSummary> = summary.all_and_groups().collect();
    let rows_per_force = groups.len() * Perspective::ALL.len();
    let panel = 70.0 + rows_per_force as f64 * ROW;
    let height = 90.0 + panel * Force::ALL.len() as f64 + 40.0;
    let desired = summary.all().has_series(Series::Desired);
    let mut s = String::new();
    // Writing to a String cannot fail.
    let _ = write!(
        s,
        r##"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" font-family="Helvetica, Arial, sans-serif" font-size="12">
<title>Living Well tension map</title>
<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#444"/></marker></defs>
<rect width="100%" height="100%" fill="#ffffff"/>
<text x="20" y="30" font-size="18" font-weight="bold">Living Well tension map</text>
<text x="20" y="50" fill="#555">{}. Dot: balance now, line: 95% interval{}.</text>
"##,
        escape(&summary.definition().to_string()),
        if desired {
            ", arrow: to the balance wanted"
        } else {
            ""
        }
    );
    let mut top = 80.0;
    for force in Force::ALL {
        draw_force(&mut s, force, &groups, top);
        top += panel;
    }
    let _ = writeln!(
        s,
        r##"<text x="20" y="{}" fill="#555">Balance = relational pole score - mechanistic pole score, each in [0, 1].</text>"##,
        height - 20.0
    );
    s.push_str("</svg>\n");
    s
}

/// One force's panel: its axis from mechanistic to relational, and a row per group and
/// perspective, starting at `top`.
fn draw_force(s: &mut String, force: Force, groups: &[&GroupSummary], top: f64) {
    let rows_per_force = groups.len() * Perspective::ALL.len();
    let _ = writeln!(s, r#"<g id="force-{}">"#, force.as_str());
    let _ = writeln!(
        s,
        r#"<text x="20" y="{}" font-size="15" font-weight="bold">{}</text>"#,
        top + 14.0,
        force.title()
    );
    let axis_y = top + 30.0;
    let bottom = axis_y + 10.0 + rows_per_force as f64 * ROW;
    for (tick, label) in [
        (-1.0, "-1"),
        (-0.5, "-0.5"),
        (0.0, "0"),
        (0.5, "+0.5"),
        (1.0, "+1"),
    ] {
        let stroke = if tick == 0.0 { "#999" } else { "#ddd" };
        let _ = writeln!(
            s,
            r##"<line x1="{0}" y1="{1}" x2="{0}" y2="{2}" stroke="{stroke}"/><text x="{0}" y="{3}" text-anchor="middle" fill="#777" font-size="10">{label}</text>"##,
            x(tick),
            axis_y,
            bottom,
            axis_y - 4.0
        );
    }
    let _ = writeln!(
        s,
        r##"<text x="{}" y="{}" fill="#777">mechanistic</text><text x="{}" y="{}" text-anchor="end" fill="#777">relational</text>"##,
        AXIS_LEFT,
        top + 14.0,
        AXIS_RIGHT,
        top + 14.0
    );
    let mut y = axis_y + 10.0 + ROW / 2.0;
    for group in groups {
        for perspective in Perspective::ALL {
            let label = format!("{} · {}", group.name(), perspective.as_str());
            let _ = writeln!(
                s,
                r#"<text x="20" y="{}" fill="{}">{}</text>"#,
                y + 4.0,
                colour(perspective),
                escape(&label)
            );
            let q = Quantity::Balance(force, perspective);
            draw_row(s, group, q, y, colour(perspective));
            y += ROW;
        }
    }
    let _ = writeln!(s, "</g>");
}

fn draw_row(s: &mut String, group: &GroupSummary, q: Quantity, y: f64, colour: &str) {
    let now = group.quantity(Series::Current, q);
    let Disclosed::Shown(now) = now else {
        let _ = writeln!(
            s,
            r##"<text x="{}" y="{}" text-anchor="middle" fill="#999" font-style="italic">withheld</text>"##,
            x(0.0),
            y + 4.0
        );
        return;
    };
    let Ok(mean) = now.mean() else {
        let _ = writeln!(
            s,
            r##"<text x="{}" y="{}" text-anchor="middle" fill="#999" font-style="italic">not enough ratings</text>"##,
            x(0.0),
            y + 4.0
        );
        return;
    };
    // The arrow first, so that the interval and the dot stay visible on top of it; it stops
    // at the edge of the hollow circle marking the balance wanted.
    if let Some(wanted) = group
        .quantity(Series::Desired, q)
        .shown()
        .and_then(|w| w.mean().ok())
    {
        let (from, to) = (x(mean), x(wanted));
        if (to - from).abs() > WANTED_RADIUS + 2.0 {
            let end = to - (to - from).signum() * WANTED_RADIUS;
            let _ = writeln!(
                s,
                r##"<line x1="{from:.1}" y1="{y}" x2="{end:.1}" y2="{y}" stroke="#444" stroke-width="1.2" stroke-dasharray="3,2" marker-end="url(#arrow)"/>"##,
            );
        }
        let _ = writeln!(
            s,
            r##"<circle cx="{to:.1}" cy="{y}" r="{WANTED_RADIUS}" fill="none" stroke="{colour}" stroke-width="1.5"/>"##,
        );
    }
    if let Ok(ci) = now.ci95() {
        let _ = writeln!(
            s,
            r#"<line x1="{:.1}" y1="{y}" x2="{:.1}" y2="{y}" stroke="{colour}" stroke-width="2" opacity="0.6"/>"#,
            x(ci.low),
            x(ci.high)
        );
    }
    let _ = writeln!(
        s,
        r#"<circle cx="{:.1}" cy="{y}" r="5" fill="{colour}"><title>{:+.3}</title></circle>"#,
        x(mean),
        mean
    );
}

/// Writes the SVG tension map (see [`to_svg`]) to `out`.
///
/// # Errors
///
/// Any I/O error of `out`.
pub fn write_svg<W: std::io::Write>(summary: &CohortSummary, mut out: W) -> std::io::Result<()> {
    out.write_all(to_svg(summary).as_bytes())
}
