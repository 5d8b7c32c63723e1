//! `read_cohort_file` reads a large file in two halves on two threads: the result, and the
//! errors with their line numbers, must be those of one pass.
#![cfg(feature = "csv")]

use std::io::Write;

use living_well::{
    Definition, Disclosure, Scorer,
    csv::{read_cohort_file, read_cohort_with},
    report,
    stats::MissingData,
};

/// A wide CSV large enough for two halves (over 4 MiB): every respondent has a current
/// row near the top and, for some, a desired row near the bottom, so pairs straddle the cut.
fn big_csv(rows: usize, extra: &str) -> String {
    let definition = Definition::living_well();
    let ids: Vec<&str> = definition
        .statements()
        .iter()
        .map(|i| i.id().as_str())
        .collect();
    let mut out = format!("respondent,group,reading,{}\n", ids.join(","));
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let groups = [
        "clinician",
        "lived experience",
        "manager",
        "voluntary sector",
    ];
    for reading in ["current", "desired"] {
        for r in 0..rows {
            if reading == "desired" && r % 3 != 0 {
                continue;
            }
            let g = groups[r % 4];
            out.push_str(&format!("id{r:07},{g},{reading}"));
            for _ in 0..ids.len() {
                let v = next() % 20;
                out.push(',');
                match v {
                    0 => {}
                    1 => out.push_str("na"),
                    2 => out.push_str("DK"),
                    v => out.push_str(&(1 + v % 5).to_string()),
                }
            }
            out.push('\n');
        }
    }
    out.push_str(extra);
    out
}

fn write_temp(name: &str, text: &str) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("living-well-{}-{name}", std::process::id()));
    let mut f = std::fs::File::create(&path).unwrap();
    f.write_all(text.as_bytes()).unwrap();
    path
}

fn scorer() -> Scorer {
    Scorer::new(Definition::living_well())
}

fn tidy(cohort: &living_well::Cohort) -> String {
    let mut out = Vec::new();
    report::write_tidy_csv(&cohort.summarise(&Disclosure::default()), &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn two_halves_give_the_one_pass_result() {
    let text = big_csv(45_000, "");
    assert!(text.len() > 4 << 20, "{} bytes", text.len());
    let path = write_temp("halves.csv", &text);
    let parallel = read_cohort_file(&path, scorer(), MissingData::Pairwise).unwrap();
    let sequential = read_cohort_with(text.as_bytes(), scorer(), MissingData::Pairwise).unwrap();
    std::fs::remove_file(&path).unwrap();
    // The exact kernel makes both bit-for-bit equal, pairs across the cut included.
    assert_eq!(tidy(&parallel), tidy(&sequential));
    let summary = parallel.summarise(&Disclosure::default());
    assert_eq!(summary.all().respondents().shown(), Some(&45_000));
    assert_eq!(summary.all().pairs().shown(), Some(&15_000));
}

#[test]
fn errors_in_the_second_half_name_their_line() {
    // A bad rating on the last line: far past the cut.
    let good = big_csv(45_000, "");
    let lines = good.lines().count() as u64;
    let definition = Definition::living_well();
    let mut bad = String::from("late,manager,current");
    for _ in definition.statements() {
        bad.push_str(",7");
    }
    bad.push('\n');
    let text = big_csv(45_000, &bad);
    let path = write_temp("late-error.csv", &text);
    let parallel = read_cohort_file(&path, scorer(), MissingData::Pairwise).unwrap_err();
    let sequential =
        read_cohort_with(text.as_bytes(), scorer(), MissingData::Pairwise).unwrap_err();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(parallel.to_string(), sequential.to_string());
    assert!(
        parallel
            .to_string()
            .starts_with(&format!("line {}", lines + 1)),
        "{parallel}"
    );
}

#[test]
fn duplicates_across_the_cut_are_found_with_both_lines() {
    // The first respondent again, current reading, at the very end.
    let mut dup = String::from("id0000000,clinician,current");
    for _ in Definition::living_well().statements() {
        dup.push_str(",3");
    }
    dup.push('\n');
    let text = big_csv(45_000, &dup);
    let lines = text.lines().count();
    let path = write_temp("duplicate.csv", &text);
    let parallel = read_cohort_file(&path, scorer(), MissingData::Pairwise).unwrap_err();
    let sequential =
        read_cohort_with(text.as_bytes(), scorer(), MissingData::Pairwise).unwrap_err();
    std::fs::remove_file(&path).unwrap();
    let living_well::csv::ErrorKind::Cohort(source) = parallel.kind() else {
        panic!("{parallel:?}")
    };
    assert_eq!(
        source.to_string(),
        format!("respondent `id0000000` has two current responses (line 2 and line {lines})")
    );
    assert_eq!(parallel.to_string(), sequential.to_string());
}

#[test]
fn a_quote_in_the_first_half_falls_back_to_one_pass() {
    // A quoted group label near the top: the cut could fall inside a quoted field, so the
    // file is read in one pass, with the same result.
    let text = big_csv(45_000, "").replacen(",clinician,", ",\"clinician\",", 1);
    let path = write_temp("quoted.csv", &text);
    let parallel = read_cohort_file(&path, scorer(), MissingData::Pairwise).unwrap();
    let sequential = read_cohort_with(text.as_bytes(), scorer(), MissingData::Pairwise).unwrap();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(tidy(&parallel), tidy(&sequential));
}

#[test]
fn a_missing_file_is_named() {
    let e = read_cohort_file(
        "/nonexistent/living-well.csv",
        scorer(),
        MissingData::Pairwise,
    )
    .unwrap_err();
    assert_eq!(e.to_string(), "cannot read `/nonexistent/living-well.csv`");
}
