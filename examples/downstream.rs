//! A downstream program, end to end, on the public API only: a derived definition,
//! responses from two sites, cohorts built per site, shipped as JSON and merged, a
//! summary under disclosure control, a group difference, and the reports.
//!
//! ```text
//! cargo run --example downstream
//! ```

use living_well::{
    CohortBuilder, Definition, Disclosure, Force, Orientation, Perspective, Quantity, Scorer,
    Series, report,
};

/// One respondent: id, group, and a rating of every statement now and as wanted.
type Answers = (String, &'static str, Vec<i32>, Vec<i32>);

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // A trust's own definition: the canonical one, with one statement weighed double.
    let mut builder = Definition::living_well().to_builder();
    builder
        .id("my-trust")
        .version("1.1.0")
        .reweight("power.people.relational.1", living_well::Weight::new(2.0)?);
    let definition = builder.build()?;
    let scorer = Scorer::new(definition.clone());
    println!("definition {}", definition.definition_ref());

    // Each site tallies its own respondents and ships the cohort as JSON.
    let shipped: Vec<String> = ["north", "south"]
        .into_iter()
        .map(|site| Ok(site_cohort(&scorer, &respondents(&definition, site))?.to_json()))
        .collect::<Result<_, living_well::Error>>()?;

    // The programme merges the sites' cohorts; the result is the whole's.
    let mut cohort = living_well::Cohort::from_json(&shipped[0])?;
    for json in &shipped[1..] {
        cohort.merge(&living_well::Cohort::from_json(json)?)?;
    }
    println!(
        "{} respondents in {} groups",
        cohort.respondents(),
        cohort.groups().count()
    );

    // What may be shown: groups of fewer than 5 are withheld.
    let summary = cohort.summarise(&Disclosure::default());
    let balance = Quantity::Balance(Force::Power, Perspective::People);
    for group in summary.all_and_groups() {
        let shown = group
            .quantity(Series::Current, balance)
            .map(|e| e.mean().ok());
        println!("{:<18} power balance now: {shown:?}", group.name());
    }
    if let (Some(clinicians), Some(lived)) = (
        summary.group("clinician"),
        summary.group("lived experience"),
    ) {
        match clinicians
            .difference(lived, Series::Current, balance)
            .into_shown()
        {
            Some(Ok(d)) => println!(
                "lived experience - clinicians: {:+.2}, g = {:?}",
                d.difference(),
                d.hedges_g()
            ),
            Some(Err(why)) => println!("no difference: {why}"),
            None => println!("the difference is withheld"),
        }
    }

    // Reports: strings, writers, and serde for a dashboard.
    report::write_markdown(
        &summary,
        std::fs::File::create(std::env::temp_dir().join("report.md"))?,
    )?;
    let tidy = report::to_tidy_csv(&summary);
    let svg = report::to_svg(&summary);
    let dashboard = serde_json::to_string(&summary)?;
    println!(
        "tidy CSV {} rows, SVG {} bytes, dashboard JSON {} bytes",
        tidy.lines().count() - 1,
        svg.len(),
        dashboard.len()
    );
    Ok(())
}

/// One site's cohort: each respondent's current and desired responses.
fn site_cohort(
    scorer: &Scorer,
    people: &[Answers],
) -> Result<living_well::Cohort, living_well::Error> {
    let ids: Vec<String> = scorer
        .definition()
        .statements()
        .iter()
        .map(|s| s.id().to_string())
        .collect();
    let mut cohort = CohortBuilder::new(scorer.clone());
    for (who, group, now, wanted) in people {
        for (reading, ratings) in [
            (living_well::Reading::Current, now),
            (living_well::Reading::Desired, wanted),
        ] {
            let mut response = scorer.response(who)?;
            response.group(group)?.reading(reading);
            for (id, &rating) in ids.iter().zip(ratings) {
                response.rate(id, rating)?;
            }
            cohort.add(&response.build())?;
        }
    }
    Ok(cohort.finish()?)
}

/// Synthetic respondents of one site: now, relational statements rate low and mechanistic
/// ones high (people with lived experience see it more starkly); wanted, the reverse.
fn respondents(definition: &Definition, site: &str) -> Vec<Answers> {
    (0..12)
        .map(|i: usize| {
            let (group, stark) = if i.is_multiple_of(2) {
                ("clinician", 0)
            } else {
                ("lived experience", 1)
            };
            let spread = ((i / 2 + site.len()) % 3) as i32;
            let lean = |relational: bool, now: bool| match (relational, now) {
                (true, true) => 1 + (spread - stark).max(0),
                (false, true) => 3 + spread.min(1) + stark,
                (true, false) => 4 + spread.min(1),
                (false, false) => 2,
            };
            let relational =
                |s: &living_well::Statement| s.cell().orientation == Orientation::Relational;
            let statements = definition.statements();
            let now = statements
                .iter()
                .map(|s| lean(relational(s), true))
                .collect();
            let wanted = statements
                .iter()
                .map(|s| lean(relational(s), false))
                .collect();
            (format!("{site}-{i}"), group, now, wanted)
        })
        .collect()
}
