//! The dense path on large cohorts, against the floor of touching the data once.
//!
//! `dense_summary/{10k,1m}` tallies a [`RatingMatrix`] of 10 thousand or 1 million
//! respondents x 27 statements (ratings 1..=5, about 5% not rated, four groups) with the
//! exact kernel and summarises the cohort. `byte_sum/{10k,1m}` only sums every code byte
//! of the same matrix: no summary can be cheaper than reading its input once, so the ratio
//! of the two medians says how far the kernel is from that floor. The target is the
//! 1-million summary within 8 times the byte sum, on one core.
//!
//! ```text
//! cargo bench --bench cohort
//! ```

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};
use living_well::{
    Cohort, Definition, Disclosure, GroupLabel, RatingMatrix, Scorer, stats::MissingData,
};

/// SplitMix64: a tiny, deterministic generator, so every run tallies the same matrix.
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

/// A cohort of `rows` respondents in four groups. Each respondent leans towards the
/// relational or the mechanistic pole, so that cells correlate as real answers do; about
/// 1 code in 20 is [`RatingMatrix::NOT_RATED`].
fn matrix(scorer: &Scorer, rows: usize, seed: u64) -> RatingMatrix {
    let groups = [
        "lived experience",
        "clinician",
        "manager",
        "voluntary sector",
    ]
    .map(|g| GroupLabel::new(g).expect("a valid group label"));
    let relational: Vec<bool> = scorer
        .definition()
        .statements()
        .iter()
        .map(|i| i.id().as_str().contains(".relational."))
        .collect();
    let mut rng = SplitMix64(seed);
    let mut m = RatingMatrix::new(scorer.definition(), scorer.scale())
        .expect("the canonical scale fits a matrix");
    m.reserve(rows);
    let mut codes = vec![0u8; relational.len()];
    for _ in 0..rows {
        let group = &groups[rng.below(4) as usize];
        // Lean in -2..=2; rating 3 + lean (or 3 - lean) plus noise in -1..=1, clamped.
        let lean = rng.below(5) as i64 - 2;
        for (code, &rel) in codes.iter_mut().zip(&relational) {
            *code = if rng.below(20) == 0 {
                RatingMatrix::NOT_RATED
            } else {
                let centre = if rel { 3 + lean / 2 } else { 3 - lean / 2 };
                let rating = (centre + rng.below(3) as i64 - 1).clamp(1, 5);
                (rating - 1) as u8
            };
        }
        m.push_codes(Some(group), &codes)
            .expect("codes on the scale");
    }
    m
}

/// The floor: every code byte read once and summed. The bytes are summed into `u32` in
/// chunks small enough not to overflow (4096 x 255 < 2^32), which the compiler vectorises;
/// summing each byte straight into a `u64`, or row by row, takes about twice as long and
/// would flatter the kernel's ratio to the floor.
fn byte_sum(m: &RatingMatrix) -> u64 {
    m.as_codes()
        .chunks(4096)
        .map(|c| u64::from(c.iter().map(|&b| u32::from(b)).sum::<u32>()))
        .sum()
}

fn cohort(c: &mut Criterion) {
    let scorer = Scorer::new(Definition::living_well());
    let disclosure = Disclosure::default();
    let sizes = [("10k", 10_000), ("1m", 1_000_000)];
    let matrices: Vec<_> = sizes
        .iter()
        .map(|&(name, rows)| (name, matrix(&scorer, rows, 0x5EED ^ rows as u64)))
        .collect();

    let mut group = c.benchmark_group("dense_summary");
    group.sample_size(10).sampling_mode(SamplingMode::Flat);
    for (name, m) in &matrices {
        group.measurement_time(if m.rows() > 100_000 {
            Duration::from_secs(8)
        } else {
            Duration::from_secs(3)
        });
        group.bench_function(*name, |b| {
            b.iter(|| {
                let cohort =
                    Cohort::from_matrix(scorer.clone(), black_box(m), None, MissingData::Pairwise)
                        .expect("the matrix fits the scorer");
                cohort.summarise(&disclosure)
            });
        });
    }
    group.finish();

    let mut group = c.benchmark_group("byte_sum");
    group.sample_size(10).sampling_mode(SamplingMode::Flat);
    for (name, m) in &matrices {
        group.measurement_time(Duration::from_secs(3));
        group.bench_function(*name, |b| b.iter(|| byte_sum(black_box(m))));
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_secs(1));
    targets = cohort
}
criterion_main!(benches);
