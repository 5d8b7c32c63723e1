//! Scores a cohort of Living Well self-assessments and prints a report.
//!
//! With no arguments it scores the embedded sample cohort (`examples/data/sample.csv`:
//! 320 synthetic respondents in four groups, current and desired readings) and prints the
//! terminal report.
//!
//! ```text
//! cargo run --example assess
//! cargo run --example assess -- --responses my.csv --format markdown --svg map.svg
//! cargo run --example assess -- --format csv --min-group 10 > tidy.csv
//! ```

use std::error::Error;
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, ValueEnum};
use living_well::{
    Definition, Disclosure, RatingScale, Scorer, ScoringOptions, report, stats::MissingData,
};

/// The sample cohort, embedded so that the example runs anywhere.
const SAMPLE: &str = include_str!("data/sample.csv");

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Format {
    /// A report for the terminal.
    Text,
    /// A Markdown report.
    Markdown,
    /// The JSON report.
    Json,
    /// The tidy CSV.
    Csv,
}

/// Score Living Well self-assessments and report where the system stands.
#[derive(Debug, Parser)]
#[command(version)]
struct Args {
    /// A CSV of responses, wide or long layout (default: the embedded sample cohort).
    #[arg(long, value_name = "FILE")]
    responses: Option<PathBuf>,
    /// What to print.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Also write the SVG tension map to this file.
    #[arg(long, value_name = "FILE")]
    svg: Option<PathBuf>,
    /// Withhold every statistic of groups with fewer respondents than this.
    #[arg(long, value_name = "K", default_value_t = Disclosure::DEFAULT_MIN_GROUP)]
    min_group: u64,
    /// The rating scale, MIN..MAX (inclusive).
    #[arg(long, value_name = "MIN..MAX", default_value = "1..5")]
    scale: RatingScale,
    /// Score against this definition (JSON) instead of the canonical one.
    #[arg(long, value_name = "FILE")]
    definition: Option<PathBuf>,
    /// Share of a cell's statements that must be rated for its pole score, in (0, 1].
    #[arg(long, default_value_t = 0.5)]
    coverage: f64,
    /// Use listwise rather than pairwise deletion for Cronbach's alpha.
    #[arg(long)]
    listwise: bool,
}

fn run(args: Args) -> Result<(), Box<dyn Error>> {
    let definition = match &args.definition {
        Some(path) => Definition::from_json(
            &std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?,
        )?,
        None => Definition::living_well(),
    };
    let options = ScoringOptions::default().with_coverage(args.coverage)?;
    let scorer = Scorer::new(definition)
        .with_scale(args.scale.clone())
        .with_options(options);
    let missing = if args.listwise {
        MissingData::Listwise
    } else {
        MissingData::Pairwise
    };
    let cohort = match &args.responses {
        Some(path) => living_well::csv::read_cohort_file(path, scorer, missing)?,
        None => living_well::csv::read_cohort_with(SAMPLE.as_bytes(), scorer, missing)?,
    };
    let summary = cohort.summarise(&Disclosure::new(args.min_group));
    let stdout = io::stdout();
    let mut out = stdout.lock();
    match args.format {
        Format::Text => out.write_all(report::to_text(&summary).as_bytes())?,
        Format::Markdown => out.write_all(report::to_markdown(&summary).as_bytes())?,
        Format::Json => out.write_all(report::to_json(&summary).as_bytes())?,
        Format::Csv => report::write_tidy_csv(&summary, &mut out)?,
    }
    if let Some(path) = &args.svg {
        std::fs::write(path, report::to_svg(&summary))
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}

fn main() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(args) => args,
        // --help and --version.
        Err(e) if !e.use_stderr() => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            // One line, as for every other error: clap's first line already reads
            // `error: ...`; its usage hint follows on further lines.
            let text = e.to_string();
            eprintln!(
                "{}",
                text.lines().next().unwrap_or("error: invalid arguments")
            );
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    match run(args) {
        Ok(()) => ExitCode::SUCCESS,
        // The reader stopped listening (`| head`): not an error of ours.
        Err(e) if broken_pipe(e.as_ref()) => ExitCode::SUCCESS,
        Err(e) => {
            // One line: the error and its causes.
            let mut line = format!("error: {e}");
            let mut source = e.source();
            while let Some(cause) = source {
                line.push_str(&format!(": {cause}"));
                source = cause.source();
            }
            eprintln!("{line}");
            ExitCode::FAILURE
        }
    }
}

/// Whether `e` is, or wraps (as the CSV writer's errors do), a broken pipe.
fn broken_pipe(mut e: &(dyn Error + 'static)) -> bool {
    loop {
        if let Some(io) = e.downcast_ref::<io::Error>() {
            if io.kind() == io::ErrorKind::BrokenPipe {
                return true;
            }
            if let Some(inner) = io.get_ref() {
                e = inner;
                continue;
            }
        }
        if let Some(csv) = e.downcast_ref::<csv::Error>()
            && let csv::ErrorKind::Io(io) = csv.kind()
        {
            return io.kind() == io::ErrorKind::BrokenPipe;
        }
        match e.source() {
            Some(source) => e = source,
            None => return false,
        }
    }
}
