//! Reports of a cohort summary: pinned snapshots of the sample, the SVG rendered, disclosure
//! control in every format (by hand and as a property), the tidy CSV's number format and the
//! JSON report's header.
//!
//! Snapshots: `tests/snapshots/sample.md` and `tests/snapshots/sample_tidy.csv` hold the
//! Markdown report and the tidy CSV of the sample cohort, compared byte for byte. After an
//! intended change to a report, rewrite them with
//!
//! ```sh
//! UPDATE_SNAPSHOTS=1 cargo test --test reports
//! ```
//!
//! and read the diff before committing it. The same run redraws `docs/tension-map.png`, the
//! README's picture of the sample's SVG tension map.

#![cfg(feature = "csv")]

use std::path::Path;

use living_well::{
    Cohort, CohortBuilder, CohortSummary, Definition, Disclosure, Quantity, Reading, Response,
    Scorer, Series, csv::read_cohort, report,
};
use proptest::prelude::*;
use serde_json::Value;

fn sample_summary() -> CohortSummary {
    let sample = std::fs::read("examples/data/sample.csv").unwrap();
    // With the definition's words, as the program reports it.
    read_cohort(&sample[..], Scorer::new(Definition::living_well()))
        .unwrap()
        .summarise(&Disclosure::new(5))
        .with_texts(Definition::living_well().texts(None).unwrap())
        .unwrap()
}

fn tidy(summary: &CohortSummary) -> String {
    let mut out = Vec::new();
    report::write_tidy_csv(summary, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// Compares `actual` with the snapshot at `path`, or rewrites the snapshot when
/// `UPDATE_SNAPSHOTS=1`.
#[track_caller]
fn check_snapshot(path: &str, actual: &str) {
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(Path::new(path).parent().unwrap()).unwrap();
        std::fs::write(path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{path}: {e} (run with UPDATE_SNAPSHOTS=1 to create it)"));
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
        panic!(
            "{path} differs from the report at line {}:\n  snapshot: {:?}\n  report:   {:?}\n\
             (if the change is intended: UPDATE_SNAPSHOTS=1 cargo test --test reports)",
            line + 1,
            expected.lines().nth(line),
            actual.lines().nth(line)
        );
    }
}

#[test]
fn markdown_snapshot_of_the_sample() {
    check_snapshot(
        "tests/snapshots/sample.md",
        &report::to_markdown(&sample_summary()),
    );
}

#[test]
fn tidy_csv_snapshot_of_the_sample() {
    check_snapshot("tests/snapshots/sample_tidy.csv", &tidy(&sample_summary()));
}

// ---------------------------------------------------------------------------------------
// SVG

fn fonts() -> resvg::usvg::Options<'static> {
    let mut options = resvg::usvg::Options::default();
    // No system-font feature: load whatever TrueType fonts the machine has, so that the
    // labels render when fonts exist; without them the marks still render.
    fn load(dir: &Path, db: &mut resvg::usvg::fontdb::Database) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                load(&path, db);
            } else if path.extension().is_some_and(|e| e == "ttf")
                && let Ok(data) = std::fs::read(&path)
            {
                db.load_font_data(data);
            }
        }
    }
    let db = options.fontdb_mut();
    load(Path::new("/usr/share/fonts"), db);
    db.set_sans_serif_family("DejaVu Sans");
    options
}

fn render(svg: &str) -> resvg::tiny_skia::Pixmap {
    let tree = resvg::usvg::Tree::from_str(svg, &fonts()).expect("the SVG parses");
    let size = tree.size().to_int_size();
    assert!(size.width() > 0 && size.height() > 0);
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width(), size.height()).unwrap();
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::default(),
        &mut pixmap.as_mut(),
    );
    pixmap
}

#[test]
fn svg_of_the_sample_renders() {
    let svg = report::to_svg(&sample_summary());
    for force in ["purpose", "power", "practice"] {
        assert!(
            svg.contains(&format!(r#"<g id="force-{force}">"#)),
            "{force}"
        );
    }
    let tree = resvg::usvg::Tree::from_str(&svg, &fonts()).unwrap();
    for force in ["purpose", "power", "practice"] {
        assert!(
            tree.node_by_id(&format!("force-{force}")).is_some(),
            "{force}"
        );
    }
    let pixmap = render(&svg);
    let coloured = pixmap
        .pixels()
        .iter()
        .filter(|p| (p.red(), p.green(), p.blue()) != (255, 255, 255))
        .count();
    assert!(
        coloured > pixmap.pixels().len() / 100,
        "{coloured} pixels not white"
    );
    // The perspectives' colours are drawn.
    let has = |rgb: (u8, u8, u8)| {
        pixmap
            .pixels()
            .iter()
            .any(|p| (p.red(), p.green(), p.blue()) == rgb && p.alpha() == 255)
    };
    assert!(has((0x1b, 0x7f, 0x79)), "people's colour");
    assert!(has((0x7a, 0x4f, 0xa3)), "practitioners' colour");
    let png = std::env::temp_dir().join("living-well-tension-map.png");
    pixmap.save_png(&png).unwrap();
    // The README's picture is refreshed with the snapshots.
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some_and(|v| v == "1") {
        pixmap.save_png("docs/tension-map.png").unwrap();
    }
}

// ---------------------------------------------------------------------------------------
// Disclosure control

/// A deterministic stream of ratings 1..=5.
struct Ratings(u64);

impl Ratings {
    fn next(&mut self) -> i32 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as i32 % 5 + 1
    }
}

/// A cohort of `(group, respondents, of whom with a desired reading)`, every statement
/// rated.
fn cohort(groups: &[(&str, usize, usize)], seed: u64) -> Cohort {
    let definition = Definition::living_well();
    let scorer = Scorer::new(definition.clone());
    let mut builder = CohortBuilder::new(scorer.clone());
    let mut ratings = Ratings(seed);
    for (g, &(group, size, desired)) in groups.iter().enumerate() {
        for i in 0..size {
            let readings: &[Reading] = if i < desired {
                &[Reading::Current, Reading::Desired]
            } else {
                &[Reading::Current]
            };
            for &reading in readings {
                let mut r =
                    Response::builder(&definition, scorer.scale(), &format!("g{g}r{i}")).unwrap();
                r.group(group).unwrap().reading(reading);
                for indicator in definition.statements() {
                    r.rate(indicator.id().as_str(), ratings.next()).unwrap();
                }
                builder.add(&r.build()).unwrap();
            }
        }
    }
    builder.finish().unwrap()
}

/// Every number the tidy CSV would show of group `name` with nothing withheld.
fn numbers_of(cohort: &Cohort, name: &str) -> Vec<String> {
    tidy_records(&tidy(&cohort.summarise(&Disclosure::new(1))))
        .iter()
        .filter(|r| &r[0] == name)
        .flat_map(|r| (7..12).map(|i| r[i].to_owned()).collect::<Vec<_>>())
        .filter(|x| !x.is_empty())
        .collect()
}

fn tidy_records(text: &str) -> Vec<csv::StringRecord> {
    csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn a_small_group_is_withheld_in_every_report() {
    let cohort = cohort(
        &[
            ("big", 6, 6),
            ("nurses", 5, 5),
            ("tiny", 3, 3),
            ("sparse", 7, 2),
        ],
        7,
    );
    let summary = cohort.summarise(&Disclosure::new(5));

    // Tidy CSV: every row of the withheld group withheld, with no numbers.
    let text = tidy(&summary);
    let records = tidy_records(&text);
    let tiny: Vec<_> = records.iter().filter(|r| &r[0] == "tiny").collect();
    assert!(!tiny.is_empty());
    for r in &tiny {
        assert_eq!(&r[12], "true", "{r:?}");
        for i in 6..12 {
            assert_eq!(&r[i], "", "{r:?}");
        }
    }
    for r in records.iter().filter(|r| &r[0] == "big") {
        assert_eq!(&r[12], "false", "{r:?}");
    }
    // Row level: a shown group where only two gave a desired reading.
    let sparse: Vec<_> = records.iter().filter(|r| &r[0] == "sparse").collect();
    for r in &sparse {
        let withheld = &r[1] != "current";
        assert_eq!(&r[12], if withheld { "true" } else { "false" }, "{r:?}");
        if withheld {
            assert!((6..12).all(|i| r[i].is_empty()), "{r:?}");
        } else {
            assert_eq!(&r[6], "7", "{r:?}");
        }
    }
    assert!(sparse.iter().any(|r| &r[1] == "desired"));
    assert!(sparse.iter().any(|r| &r[1] == "aspiration"));

    // JSON: the withheld group is exactly its name and the mark.
    let json: Value = serde_json::from_str(&report::to_json(&summary)).unwrap();
    let groups = json["groups"].as_array().unwrap();
    let tiny_json = groups.iter().find(|g| g["group"] == "tiny").unwrap();
    assert_eq!(
        tiny_json,
        &serde_json::json!({"group": "tiny", "withheld": true})
    );
    let sparse_json = groups.iter().find(|g| g["group"] == "sparse").unwrap();
    for q in sparse_json["series"]["desired"]["quantities"]
        .as_array()
        .unwrap()
        .iter()
        .chain(
            sparse_json["series"]["aspiration"]["quantities"]
                .as_array()
                .unwrap(),
        )
    {
        assert_eq!(q["withheld"], true, "{q}");
        assert!(q.get("mean").is_none() && q.get("n").is_none(), "{q}");
    }
    for a in sparse_json["series"]["desired"]["answers"]
        .as_array()
        .unwrap()
    {
        assert_eq!(a["withheld"], true, "{a}");
    }

    // Markdown and text: the group's row says withheld and holds no number.
    let markdown = report::to_markdown(&summary);
    let row = markdown
        .lines()
        .find(|l| l.starts_with("| tiny |"))
        .unwrap();
    assert_eq!(
        row,
        "| tiny | withheld | withheld | withheld | withheld | withheld |"
    );
    let text_report = report::to_text(&summary);
    let row = text_report
        .lines()
        .find(|l| l.starts_with("tiny "))
        .unwrap();
    assert_eq!(
        row.split_whitespace().collect::<Vec<_>>(),
        [
            "tiny", "withheld", "withheld", "withheld", "withheld", "withheld"
        ]
    );
    for line in markdown.lines().chain(text_report.lines()) {
        if line.contains("tiny") {
            assert!(!line.chars().any(|c| c.is_ascii_digit()), "{line}");
        }
    }

    // tiny is alone outside the shown groups, too few to count anywhere: (all) is big,
    // nurses and sparse, and says that it leaves people out.
    assert!(!summary.group("nurses").unwrap().is_withheld());
    assert!(!summary.group("big").unwrap().is_withheld());
    assert!(summary.leaves_out());
    assert_eq!(summary.all().respondents().shown(), Some(&18));

    // SVG: the withheld group's six rows each read withheld, and nothing else does.
    let svg = report::to_svg(&summary);
    assert_eq!(svg.matches(">withheld</text>").count(), 6);
    for p in ["people", "practitioners"] {
        assert_eq!(svg.matches(&format!(">tiny · {p}</text>")).count(), 3);
    }
    render(&svg);

    // None of the withheld group's numbers appears in any report.
    let reports = [text.clone(), report::to_json(&summary), svg];
    // (Ratings come in quarters, so a shown group may share a number such as sqrt(3)/4
    // by chance: those are left out.)
    // The whole cohort here pools big, nurses and sparse only (18 people, checked above), so
    // its numbers are not tiny's either.
    let pooled = tidy_records(&text);
    let elsewhere: Vec<String> = ["(all)", "big", "nurses", "sparse"]
        .into_iter()
        .flat_map(|g| numbers_of(&cohort, g))
        .chain(
            (pooled.iter().filter(|r| &r[0] == "(all)"))
                .flat_map(|r| (7..12).map(|i| r[i].to_owned()).collect::<Vec<_>>()),
        )
        .collect();
    for shown in numbers_of(&cohort, "tiny") {
        if shown.len() < 8 || elsewhere.contains(&shown) {
            continue; // short numbers (0.5, 0.25) occur anywhere by chance
        }
        for r in &reports {
            let mut tokens = r.split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'));
            assert!(!tokens.any(|t| t == shown), "{shown} of a withheld group");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// Random small cohorts: a group below the threshold shows nothing in any report, and
    /// a shown statistic is exactly the one computed with nothing withheld.
    #[test]
    fn withheld_groups_show_no_number(
        sizes in prop::collection::vec((1usize..9, 0usize..9), 1..5),
        k in 2u64..7,
        seed in any::<u64>(),
    ) {
        let names = ["a", "b", "c", "d"];
        let groups: Vec<(&str, usize, usize)> = sizes
            .iter()
            .zip(names)
            .map(|(&(n, d), name)| (name, n, d.min(n)))
            .collect();
        let cohort = cohort(&groups, seed);
        let summary = cohort.summarise(&Disclosure::new(k));
        let open = cohort.summarise(&Disclosure::new(1));
        let text = tidy(&summary);
        let records = tidy_records(&text);
        let json: Value = serde_json::from_str(&report::to_json(&summary)).unwrap();
        let markdown = report::to_markdown(&summary);
        for &(name, n, _) in &groups {
            // Below the threshold a group is withheld, and then it shows nothing.
            let withheld = summary.group(name).unwrap().is_withheld();
            prop_assert_eq!(withheld, (n as u64) < k);
            if !withheld {
                continue;
            }
            for r in records.iter().filter(|r| &r[0] == name) {
                prop_assert_eq!(&r[12], "true");
                prop_assert!((6..12).all(|i| r[i].is_empty()));
            }
            let g = json["groups"].as_array().unwrap().iter().find(|g| g["group"] == name).unwrap();
            prop_assert_eq!(g, &serde_json::json!({"group": name, "withheld": true}));
            for line in markdown.lines().filter(|l| l.starts_with(&format!("| {name} |"))) {
                prop_assert!(!line.chars().any(|c| c.is_ascii_digit()), "{}", line);
            }
        }
        // Every shown row of a group is over no one or at least k people, and (every
        // profile here being complete) has the open summary's numbers; the whole cohort
        // pools only the shown blocks, so its rows may differ.
        let open_text = tidy(&open);
        for r in records.iter().filter(|r| &r[12] == "false") {
            let n: u64 = r[6].parse().unwrap();
            prop_assert!(n == 0 || n >= k, "{:?}", r);
            if &r[0] != "(all)" {
                prop_assert!(open_text.contains(&r.iter().collect::<Vec<_>>().join(",")));
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Tidy CSV format

#[test]
fn tidy_csv_header_and_numbers() {
    let summary = sample_summary();
    let text = tidy(&summary);
    assert!(text.starts_with(
        "group,reading,quantity,force,perspective,orientation,n,estimate,sd,se,ci95_low,ci95_high,withheld\n"
    ));
    let lower = text.to_ascii_lowercase();
    assert!(!lower.contains("nan") && !lower.contains("inf"));
    let records = tidy_records(&text);
    for r in &records {
        for i in 7..12 {
            assert!(&r[i] != "-0" && !r[i].starts_with("-0,"), "{r:?}");
            assert!(!r[i].contains('e') && !r[i].contains('E'), "{r:?}");
        }
    }
    // Numbers read back as the summary's f64s, exactly.
    let groups: Vec<_> = summary.all_and_groups().collect();
    let mut checked = 0;
    for r in records
        .iter()
        .filter(|r| &r[2] == "relational_index" || &r[2] == "force_balance")
    {
        let g = groups.iter().find(|g| g.name() == &r[0]).unwrap();
        let series: Series = r[1].parse().unwrap();
        let q = if &r[2] == "relational_index" {
            Quantity::RelationalIndex
        } else {
            Quantity::ForceBalance(r[3].parse().unwrap())
        };
        let s = g.quantity(series, q).shown().unwrap();
        let parse = |i: usize| r[i].parse::<f64>().unwrap();
        assert_eq!(r[6].parse::<u64>().unwrap(), s.n());
        assert_eq!(parse(7).to_bits(), s.mean().unwrap().to_bits());
        assert_eq!(parse(8).to_bits(), s.sd().unwrap().to_bits());
        assert_eq!(parse(9).to_bits(), s.se().unwrap().to_bits());
        assert_eq!(parse(10).to_bits(), s.ci95().unwrap().low.to_bits());
        assert_eq!(parse(11).to_bits(), s.ci95().unwrap().high.to_bits());
        checked += 1;
    }
    // 5 groups x 3 series x (3 force balances + relational index).
    assert_eq!(checked, 60);
}

#[test]
fn tidy_csv_never_writes_negative_zero() {
    // Balances of exactly 0 for all, and desired = current: an aspiration gap of -0 risk.
    let definition = Definition::living_well();
    let scorer = Scorer::new(definition.clone());
    let mut builder = CohortBuilder::new(scorer.clone());
    for i in 0..3 {
        for reading in Reading::ALL {
            let mut r = Response::builder(&definition, scorer.scale(), &format!("r{i}")).unwrap();
            r.reading(reading);
            for indicator in definition.statements() {
                r.rate(indicator.id().as_str(), 3).unwrap();
            }
            builder.add(&r.build()).unwrap();
        }
    }
    let summary = builder.finish().unwrap().summarise(&Disclosure::new(1));
    let text = tidy(&summary);
    for r in tidy_records(&text) {
        for field in r.iter() {
            assert_ne!(field, "-0", "{r:?}");
        }
    }
    assert!(text.contains("\n(all),aspiration,relational_index,,,,3,0,0,0,0,0,false\n"));
    let json = report::to_json(&summary);
    assert!(!json.contains("-0.0"), "negative zero in the JSON");
}

// ---------------------------------------------------------------------------------------
// JSON report

#[test]
fn json_report_header() {
    let summary = sample_summary();
    let json: Value = serde_json::from_str(&report::to_json(&summary)).unwrap();
    assert_eq!(json["schema"], "living-well-report/1");
    assert_eq!(json["schema"], report::JSON_SCHEMA);
    let definition = Definition::living_well().definition_ref();
    assert_eq!(json["definition"]["id"], definition.id.as_str());
    assert_eq!(
        json["definition"]["version"],
        definition.version.to_string()
    );
    assert_eq!(
        json["definition"]["fingerprint"],
        definition.fingerprint.to_string()
    );
    assert_eq!(json["definition"]["id"], "living-well-uk");
    assert_eq!(json["scale"]["min"], 1);
    assert_eq!(json["scale"]["max"], 5);
    assert_eq!(json["disclosure"]["min_group"], 5);
    assert_eq!(json["groups"][0]["group"], "(all)");
    assert_eq!(json["groups"][0]["respondents"], 320);
    assert_eq!(json["groups"].as_array().unwrap().len(), 5);
}
