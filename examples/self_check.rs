//! One practitioner's self-check: how their system is now, how they want it to be, and the
//! gap between, as a short report.
//!
//! ```text
//! cargo run --example self_check
//! ```

use living_well::{
    Answer, Definition, Force, Perspective, Profile, Reading, Response, Scorer, gap, score::Gap,
};

/// A community mental-health team lead's answers: statement, current, desired.
/// A number is a rating on 1..=5 (Not at all .. Completely), `na` not applicable, `dk` don't
/// know, and an empty string a statement left unanswered.
const ANSWERS: [(&str, &str, &str); 27] = [
    ("purpose.people.relational.1", "3", "5"),
    ("purpose.people.mechanistic.1", "4", "2"),
    ("purpose.practitioners.relational.1", "2", "5"),
    ("purpose.practitioners.mechanistic.1", "4", "1"),
    ("purpose.practitioners.mechanistic.2", "5", "2"),
    ("power.people.relational.1", "3", "5"),
    ("power.people.relational.2", "2", "4"),
    ("power.people.mechanistic.1", "4", "2"),
    ("power.people.mechanistic.2", "3", "1"),
    ("power.people.mechanistic.3", "dk", "2"),
    ("power.practitioners.relational.1", "3", "4"),
    ("power.practitioners.relational.2", "2", "4"),
    ("power.practitioners.relational.3", "3", "5"),
    // Only one of three rated now: not enough for a score.
    ("power.practitioners.mechanistic.1", "4", "3"),
    ("power.practitioners.mechanistic.2", "dk", "1"),
    ("power.practitioners.mechanistic.3", "", "2"),
    ("practice.people.relational.1", "3", "5"),
    ("practice.people.relational.2", "3", "5"),
    ("practice.people.relational.3", "1", "4"),
    ("practice.people.mechanistic.1", "4", "2"),
    ("practice.people.mechanistic.2", "na", "na"),
    ("practice.people.mechanistic.3", "5", "3"),
    ("practice.practitioners.relational.1", "2", "4"),
    ("practice.practitioners.relational.2", "2", "4"),
    ("practice.practitioners.mechanistic.1", "4", "4"),
    ("practice.practitioners.mechanistic.2", "3", "1"),
    ("practice.practitioners.mechanistic.3", "4", "2"),
];

const MISSING: &str = "not enough ratings";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let definition = Definition::living_well();
    let scorer = Scorer::new(definition.clone());

    let mut now = Response::builder(&definition, scorer.scale(), "cmht-lead-07")?;
    let mut wanted = Response::builder(&definition, scorer.scale(), "cmht-lead-07")?;
    now.group("practitioner")?;
    wanted.group("practitioner")?.reading(Reading::Desired);
    for (id, current, desired) in ANSWERS {
        if !current.is_empty() {
            now.answer(id, current.parse()?)?;
        }
        if !desired.is_empty() {
            wanted.answer(id, desired.parse()?)?;
        }
    }
    let (now, wanted) = (now.build(), wanted.build());
    let current = scorer.profile(&now)?;
    let desired = scorer.profile(&wanted)?;
    let aspiration = gap(&current, &desired)?;

    println!(
        "Living Well self-check: {} ({})",
        now.respondent(),
        now.group().map_or("no group", |g| g.as_str())
    );
    println!(
        "{}; scale {} ({} .. {})",
        definition.definition_ref(),
        scorer.scale(),
        scorer
            .scale()
            .label(scorer.scale().min())
            .unwrap_or("lowest"),
        scorer
            .scale()
            .label(scorer.scale().max())
            .unwrap_or("highest"),
    );
    println!("Balances run from -1 (all mechanistic) to +1 (all relational).");

    tensions(&current, &desired, &aspiration);
    leanings(&current, &desired);
    index(&current, &desired, &aspiration);
    not_rated(&now, &wanted, definition.statements().len());
    Ok(())
}

fn tensions(current: &Profile, desired: &Profile, aspiration: &Gap) {
    println!("\nThe three tensions (force balance; gap = desired - current)");
    println!(
        "  {:<10} {:>18}  {:>18}  {:>18}",
        "", "current", "desired", "gap"
    );
    for force in Force::ALL {
        println!(
            "  {:<10} {:>18}  {:>18}  {:>18}",
            force.title(),
            number(current.force_balance(force)),
            number(desired.force_balance(force)),
            number(aspiration.force_balance(force)),
        );
    }
}

fn leanings(current: &Profile, desired: &Profile) {
    println!("\nWhere each perspective leans (balance and pole reading)");
    println!(
        "    {:<14} {:<8}{:<11}{:>12}",
        "", "", "mechanistic", "relational"
    );
    for force in Force::ALL {
        println!("  {}", force.title());
        for perspective in Perspective::ALL {
            for (label, profile) in [("current", current), ("desired", desired)] {
                let balance = profile.balance(force, perspective);
                let reading = profile.polarity(force, perspective).map_or_else(
                    || MISSING.to_owned(),
                    |r| {
                        format!(
                            "{} (relational {:.2}, mechanistic {:.2})",
                            r.pattern, r.relational, r.mechanistic
                        )
                    },
                );
                let who = if label == "current" {
                    perspective.as_str()
                } else {
                    ""
                };
                println!(
                    "    {who:<14} {label:<8}{} {:>6}  {reading}",
                    bar(balance),
                    short(balance),
                );
            }
        }
    }
}

fn index(current: &Profile, desired: &Profile, aspiration: &Gap) {
    println!("\nRelational index (mean of the three force balances)");
    println!("  current {}", number(current.relational_index()));
    println!("  desired {}", number(desired.relational_index()));
    println!("  gap     {}", number(aspiration.relational_index()));
}

fn not_rated(now: &Response, wanted: &Response, statements: usize) {
    println!("\nNot rated (left out of every score, never counted as 0)");
    for response in [now, wanted] {
        let count = |want: Answer| response.answers().filter(|(_, a)| *a == want).count();
        let blank = statements - response.answers().len();
        println!(
            "  {:<8} {} don't know, {} not applicable, {} left blank",
            response.reading().to_string(),
            count(Answer::DontKnow),
            count(Answer::NotApplicable),
            blank
        );
    }
}

/// A signed number, or the words for a missing one (never 0).
fn number(value: Option<f64>) -> String {
    value.map_or_else(|| MISSING.to_owned(), |v| format!("{v:+.2}"))
}

/// A signed number for a column where the bar already says it is missing.
fn short(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_owned(), |v| format!("{v:+.2}"))
}

/// `[---------|--#-------]`: the balance on -1..=1, `|` at 0; `?` when missing.
fn bar(value: Option<f64>) -> String {
    const HALF: usize = 10;
    let Some(v) = value else {
        return format!("[{:^w$}]", "?", w = 2 * HALF + 1);
    };
    let at = ((v.clamp(-1.0, 1.0) + 1.0) * HALF as f64).round() as usize;
    let line: String = (0..=2 * HALF)
        .map(|i| match i {
            _ if i == at => '#',
            HALF => '|',
            _ => '-',
        })
        .collect();
    format!("[{line}]")
}
