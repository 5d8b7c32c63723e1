//! End to end on a large file: a wide CSV of 1 million respondents read, scored,
//! summarised and written as the tidy CSV.
//!
//! The file has the columns the pandas peer (`pandas_peer.py --generate`) writes:
//! `respondent,group,reading`, then the 27 canonical statement ids in order; ratings 1..=5
//! with about 5% of cells empty, four groups, every reading `current`. It is generated
//! once per run into Cargo's temporary directory for benches, outside the timed loop.
//!
//! `csv_end_to_end/read_cohort_file` goes through [`read_cohort_file`] (two threads for a
//! file this size); `csv_end_to_end/read_cohort_with` reads the same file on one thread,
//! through a `BufReader<File>`, for comparison. `csv_end_to_end/line_count` is the floor
//! the issue measures against, what `wc -l` does: the file read in 64 KiB blocks and its
//! line breaks counted with memchr. The target is `read_cohort_file` within 8 times it.
//!
//! ```text
//! cargo bench --bench csv
//! ```

use std::fs::File;
use std::hint::black_box;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};
use living_well::{
    Cohort, Definition, Disclosure, Scorer,
    csv::{read_cohort_file, read_cohort_with},
    report,
    stats::MissingData,
};

const ROWS: usize = 1_000_000;

/// SplitMix64: a tiny, deterministic generator, so every run reads the same file.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (the modulo bias is immaterial for `n` this small).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Writes the wide CSV of `rows` respondents to `path`. Each respondent leans towards the
/// relational or the mechanistic pole, so that cells correlate as real answers do.
fn generate(scorer: &Scorer, rows: usize, path: &Path) -> std::io::Result<()> {
    let groups = [
        "lived experience",
        "clinician",
        "manager",
        "voluntary sector",
    ];
    let indicators = scorer.definition().statements();
    let relational: Vec<bool> = indicators
        .iter()
        .map(|i| i.id().as_str().contains(".relational."))
        .collect();
    let mut out = BufWriter::with_capacity(1 << 20, File::create(path)?);
    write!(out, "respondent,group,reading")?;
    for i in indicators {
        write!(out, ",{}", i.id().as_str())?;
    }
    writeln!(out)?;
    let mut rng = SplitMix64(0x5EED);
    let mut line = Vec::with_capacity(128);
    for k in 0..rows {
        line.clear();
        let group = groups[rng.below(4) as usize];
        write!(line, "r{k:07},{group},current")?;
        // Lean in -2..=2; rating 3 + lean (or 3 - lean) plus noise in -1..=1, clamped.
        let lean = rng.below(5) as i64 - 2;
        for &rel in &relational {
            line.push(b',');
            if rng.below(20) != 0 {
                let centre = if rel { 3 + lean / 2 } else { 3 - lean / 2 };
                let rating = (centre + rng.below(3) as i64 - 1).clamp(1, 5);
                line.push(b'0' + rating as u8);
            }
        }
        line.push(b'\n');
        out.write_all(&line)?;
    }
    out.flush()
}

/// The summary written as the tidy CSV, as a report would be.
fn report(cohort: &Cohort, disclosure: &Disclosure) -> Vec<u8> {
    let summary = cohort.summarise(disclosure);
    let mut out = Vec::with_capacity(1 << 16);
    report::write_tidy_csv(&summary, &mut out).expect("writing to a Vec cannot fail");
    out
}

/// The lines of a file, as `wc -l` counts them.
fn line_count(path: &Path) -> std::io::Result<usize> {
    let mut file = File::open(path)?;
    let mut buf = vec![0u8; 1 << 16];
    let mut lines = 0;
    loop {
        match file.read(&mut buf)? {
            0 => return Ok(lines),
            n => lines += memchr::memchr_iter(b'\n', &buf[..n]).count(),
        }
    }
}

fn csv(c: &mut Criterion) {
    let scorer = Scorer::new(Definition::living_well());
    let disclosure = Disclosure::default();
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("living_well_bench_1m.csv");
    generate(&scorer, ROWS, &path).expect("the bench file is written");

    let mut group = c.benchmark_group("csv_end_to_end");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(12));
    group.bench_function("read_cohort_file", |b| {
        b.iter(|| {
            let cohort = read_cohort_file(black_box(&path), scorer.clone(), MissingData::Pairwise)
                .expect("the bench file reads");
            report(&cohort, &disclosure)
        });
    });
    group.bench_function("line_count", |b| {
        b.iter(|| line_count(black_box(&path)).expect("the bench file reads"));
    });
    group.bench_function("read_cohort_with", |b| {
        b.iter(|| {
            let file = File::open(black_box(&path)).expect("the bench file opens");
            let cohort =
                read_cohort_with(BufReader::new(file), scorer.clone(), MissingData::Pairwise)
                    .expect("the bench file reads");
            report(&cohort, &disclosure)
        });
    });
    group.finish();
    // 80 MB is worth giving back; a failure to remove it changes no result.
    let _ = std::fs::remove_file(&path);
}

criterion_group!(benches, csv);
criterion_main!(benches);
