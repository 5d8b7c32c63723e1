//! Prints the canonical Living Well UK definition as a table, or as its JSON document.
//!
//! ```text
//! cargo run --example framework            # a table, wrapped to $COLUMNS (default 120)
//! cargo run --example framework -- --json  # the definition document
//! ```

use std::process::ExitCode;

use living_well::{Cell, Definition};

const USAGE: &str = "usage: framework [--json]

Prints the canonical Living Well UK definition as a table, or with --json as the
definition document that other apps can share.";

fn main() -> ExitCode {
    let mut json = false;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--json" => json = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            other => {
                eprintln!("definition: unknown argument `{other}`\n\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let definition = Definition::living_well();
    if json {
        print!("{}", definition.to_json());
    } else {
        print!("{}", table(&definition, terminal_width()));
    }
    ExitCode::SUCCESS
}

/// `$COLUMNS` if the shell exports it, else 120; never so narrow that text cannot wrap.
fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse().ok())
        .unwrap_or(120)
        .max(80)
}

fn table(definition: &Definition, width: usize) -> String {
    let mut out = String::new();
    out.push_str(definition.title());
    out.push('\n');
    out.push_str(&format!(
        "definition {} version {}, {} statements\nfingerprint {}\n",
        definition.id(),
        definition.version(),
        definition.statements().len(),
        definition.fingerprint()
    ));

    let headers = ["force", "perspective", "orientation", "id", "statement"];
    // The first four columns are as wide as their longest entry; the text wraps in the rest.
    let mut widths = [0usize; 4];
    for (w, h) in widths.iter_mut().zip(headers) {
        *w = h.len();
    }
    for statement in definition.statements() {
        let cell = statement.cell();
        let fields = [
            cell.force.as_str(),
            cell.perspective.as_str(),
            cell.orientation.as_str(),
            statement.id().as_str(),
        ];
        for (w, f) in widths.iter_mut().zip(fields) {
            *w = (*w).max(f.chars().count());
        }
    }
    let indent: usize = widths.iter().map(|w| w + 2).sum();
    let text_width = width.saturating_sub(indent).max(30);

    let mut previous: Option<Cell> = None;
    for force in living_well::Force::ALL {
        out.push('\n');
        out.push_str(&force.title().to_uppercase());
        out.push('\n');
        for line in wrap(definition.force_description(force), width.saturating_sub(2)) {
            out.push_str("  ");
            out.push_str(&line);
            out.push('\n');
        }
        out.push('\n');
        let [f, p, o, i, t] = headers;
        row(&mut out, &widths, [f, p, o, i], t, text_width);
        let rule = "-".repeat((indent + text_width).min(width));
        out.push_str(&rule);
        out.push('\n');
        for cell in Cell::ALL.into_iter().filter(|c| c.force == force) {
            for statement in definition.statements_in(cell) {
                // Repeat an axis value only where it changes, so the table reads in blocks.
                let same_perspective = previous
                    .is_some_and(|p| p.force == cell.force && p.perspective == cell.perspective);
                let same_cell = previous == Some(cell);
                let fields = [
                    if previous.is_some_and(|p| p.force == cell.force) {
                        ""
                    } else {
                        cell.force.as_str()
                    },
                    if same_perspective {
                        ""
                    } else {
                        cell.perspective.as_str()
                    },
                    if same_cell {
                        ""
                    } else {
                        cell.orientation.as_str()
                    },
                    statement.id().as_str(),
                ];
                row(&mut out, &widths, fields, statement.text(), text_width);
                previous = Some(cell);
            }
        }
    }
    out
}

/// One table row: four fixed columns, then `text` wrapped, continuation lines indented.
fn row(out: &mut String, widths: &[usize; 4], fields: [&str; 4], text: &str, text_width: usize) {
    let mut first = true;
    for line in wrap(text, text_width) {
        for (field, w) in fields.iter().zip(widths) {
            let field = if first { *field } else { "" };
            out.push_str(&format!("{field:<w$}  "));
        }
        out.push_str(&line);
        out.push('\n');
        first = false;
    }
}

/// Greedy word wrap to `width` characters; a word longer than the width gets its own line.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let needed = line.chars().count() + usize::from(!line.is_empty()) + word.chars().count();
        if !line.is_empty() && needed > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}
