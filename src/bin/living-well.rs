//! `living-well`: score Living Well self-assessments from the command line.
//!
//! ```text
//! living-well assess                                  # the embedded sample cohort
//! living-well assess responses.csv --format markdown --svg map.svg
//! living-well assess responses.csv --format html > report.html
//! living-well assess responses.csv --xlsx report.xlsx
//! living-well assess export.csv --mapping qualtrics.mapping.json
//! living-well import export.csv --mapping my.mapping.json -o responses.csv
//! living-well definition --format json
//! living-well definition --format fhir --reading desired --language cy > desired.cy.json
//! living-well assess responses.ndjson               # FHIR QuestionnaireResponses
//! living-well merge site-a.json site-b.json --format text
//! living-well mapping qualtrics > my.mapping.json
//! ```
//!
//! Built with `--features cli` (and `xlsx` for Microsoft Forms workbooks, `workbook` for
//! the `.xlsx` report). Errors print one
//! line on stderr and exit with status 1 (2 for a bad command line).

use std::error::Error;
use std::fs;
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use living_well::cohort::{Order, Origin};
use living_well::model::{LanguageTag, Texts};
use living_well::summary::CohortSummary;
use living_well::survey::{Export, Importer, Mapping, PRESETS, RedcapExport, RedcapOptions};
use living_well::{
    Cohort, CohortBuilder, Definition, Disclosure, RatingScale, Reading, Scorer, ScoringOptions,
    report, stats::MissingData,
};

/// The sample cohort (320 synthetic respondents), embedded so that `assess` runs anywhere.
const SAMPLE: &str = include_str!("../../examples/data/sample.csv");

/// Files from this size get a progress bar (when stderr is a terminal).
const PROGRESS_FROM: u64 = 8 << 20;

type Result<T> = std::result::Result<T, Box<dyn Error>>;

/// Score Living Well self-assessments and report where a mental-health system stands.
#[derive(Debug, Parser)]
#[command(name = "living-well", version, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Score a cohort and print a report (default input: the embedded sample cohort).
    Assess(AssessArgs),
    /// Read a survey-platform export through a mapping; write the crate's wide CSV.
    Import(ImportArgs),
    /// Print, validate or fingerprint the definition.
    Definition(DefinitionArgs),
    /// Combine cohort JSON partials (from `assess --format cohort`) into one.
    Merge(MergeArgs),
    /// Print a mapping document: a preset, or one made from a REDCap data dictionary.
    Mapping(MappingCommand),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    /// A report for the terminal.
    Text,
    /// A Markdown report.
    Markdown,
    /// The JSON report.
    Json,
    /// The tidy CSV.
    Csv,
    /// One self-contained HTML page (inline tension map, no scripts), for a projector,
    /// a phone or print.
    Html,
    /// An Excel workbook (.xlsx) of the tidy table and the report's tables (binary: redirect
    /// it to a file, or use --xlsx FILE).
    Xlsx,
    /// The cohort's mergeable tallies (JSON), for `merge`.
    Cohort,
}

#[derive(Debug, Args)]
struct ScoringArgs {
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

#[derive(Debug, Args)]
struct MappingArgs {
    /// Read the input as a survey-platform export through this mapping document, or a
    /// preset: qualtrics, qualtrics-numeric, surveymonkey, google-forms, limesurvey,
    /// ms-forms; redcap and redcap-labels (with --dictionary).
    #[arg(long, value_name = "FILE|PRESET")]
    mapping: Option<String>,
    /// The REDCap data dictionary (CSV) the redcap presets are made from.
    #[arg(long, value_name = "FILE")]
    dictionary: Option<PathBuf>,
    /// REDCap: the field (variable name) that holds the group.
    #[arg(long, value_name = "FIELD")]
    redcap_group: Option<String>,
    /// REDCap: an event and the reading it holds, e.g. now_arm_1=current (repeatable).
    #[arg(long, value_name = "EVENT=READING")]
    event: Vec<String>,
}

#[derive(Debug, Args)]
struct AssessArgs {
    /// Responses: the crate's CSV (wide or long), an export read with --mapping, or FHIR
    /// QuestionnaireResponses to `definition --format fhir`'s questionnaires: `.json` (one
    /// resource or a Bundle) or `.ndjson` (one a line).
    #[arg(value_name = "FILE")]
    input: Option<PathBuf>,
    /// The same as FILE (the option of the `assess` example).
    #[arg(long, value_name = "FILE", conflicts_with = "input")]
    responses: Option<PathBuf>,
    #[command(flatten)]
    mapping: MappingArgs,
    /// What to print.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Also write the SVG tension map to this file.
    #[arg(long, value_name = "FILE")]
    svg: Option<PathBuf>,
    /// Also write the Excel workbook (.xlsx) to this file.
    #[arg(long, value_name = "FILE")]
    xlsx: Option<PathBuf>,
    /// Withhold every statistic of groups with fewer respondents than this.
    #[arg(long, value_name = "K", default_value_t = Disclosure::DEFAULT_MIN_GROUP)]
    min_group: u64,
    /// Print the import report (what matched, what was dropped) on stderr.
    #[arg(long)]
    report: bool,
    /// The input is sorted by respondent (each respondent's rows together, ids ascending
    /// as text or in natural order): read in constant memory, and a respondent out of
    /// order is an error.
    #[arg(long)]
    sorted: bool,
    /// Name statements in this language of the definition (a BCP 47 tag; default: the
    /// definition's own).
    #[arg(long, value_name = "TAG")]
    language: Option<LanguageTag>,
    #[command(flatten)]
    scoring: ScoringArgs,
}

#[derive(Debug, Args)]
struct ImportArgs {
    /// The export (default: the mapping's `source.file`, next to the mapping).
    #[arg(value_name = "EXPORT")]
    input: Option<PathBuf>,
    #[command(flatten)]
    mapping: MappingArgs,
    /// Write the CSV here instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Do not print the import report on stderr.
    #[arg(short, long)]
    quiet: bool,
    #[command(flatten)]
    scoring: ScoringArgs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum DefinitionFormat {
    /// The statements, one a line, with the fingerprint.
    Text,
    /// The definition document.
    Json,
    /// An HL7 FHIR R4 Questionnaire for one reading (--reading), in one language
    /// (--language), its answers on --scale.
    Fhir,
}

#[derive(Debug, Args)]
struct DefinitionArgs {
    /// A definition document to read and validate (default: the canonical one).
    #[arg(value_name = "FILE")]
    file: Option<PathBuf>,
    /// How to print it.
    #[arg(long, value_enum, default_value_t = DefinitionFormat::Text)]
    format: DefinitionFormat,
    /// Print only the fingerprint.
    #[arg(long, conflicts_with = "format")]
    fingerprint: bool,
    /// Only validate: print one line saying what was read.
    #[arg(long, conflicts_with_all = ["format", "fingerprint"])]
    validate: bool,
    /// --format fhir: the reading the questionnaire asks about: current (the default) or
    /// desired.
    #[arg(long, value_name = "READING")]
    reading: Option<Reading>,
    /// --format fhir: the language of the texts, a BCP 47 tag of the definition
    /// (default: its own).
    #[arg(long, value_name = "TAG")]
    language: Option<LanguageTag>,
    /// --format fhir: the rating scale of the answer options, MIN..MAX (inclusive;
    /// default 1..5).
    #[arg(long, value_name = "MIN..MAX")]
    scale: Option<RatingScale>,
}

#[derive(Debug, Args)]
struct MergeArgs {
    /// Cohort JSON files (`assess --format cohort`), one per site or part.
    #[arg(value_name = "FILE", required = true)]
    inputs: Vec<PathBuf>,
    /// What to print: the merged cohort (default) or a report of it.
    #[arg(long, value_enum, default_value_t = Format::Cohort)]
    format: Format,
    /// Withhold every statistic of groups with fewer respondents than this (reports).
    #[arg(long, value_name = "K", default_value_t = Disclosure::DEFAULT_MIN_GROUP)]
    min_group: u64,
    /// Write here instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// The definition the cohorts were scored under (JSON), for the statements' texts in
    /// reports (default: the canonical one, when the fingerprints match).
    #[arg(long, value_name = "FILE")]
    definition: Option<PathBuf>,
    /// Name statements in this language of the definition (a BCP 47 tag).
    #[arg(long, value_name = "TAG")]
    language: Option<LanguageTag>,
}

#[derive(Debug, Args)]
struct MappingCommand {
    /// A preset name, or redcap / redcap-labels with --dictionary.
    #[arg(value_name = "PRESET")]
    preset: Option<String>,
    /// List the presets.
    #[arg(long, conflicts_with = "preset")]
    list: bool,
    /// The REDCap data dictionary (CSV).
    #[arg(long, value_name = "FILE")]
    dictionary: Option<PathBuf>,
    /// REDCap: the field (variable name) that holds the group.
    #[arg(long, value_name = "FIELD")]
    redcap_group: Option<String>,
    /// REDCap: an event and the reading it holds, e.g. now_arm_1=current (repeatable).
    #[arg(long, value_name = "EVENT=READING")]
    event: Vec<String>,
    #[command(flatten)]
    scoring: ScoringArgs,
}

fn read_text(path: &Path) -> Result<String> {
    fs::read_to_string(path).map_err(|e| format!("cannot read `{}`: {e}", path.display()).into())
}

fn definition(path: Option<&Path>) -> Result<Definition> {
    Ok(match path {
        Some(path) => Definition::from_json(&read_text(path)?)?,
        None => Definition::living_well(),
    })
}

fn scorer(args: &ScoringArgs) -> Result<(Scorer, MissingData)> {
    let options = ScoringOptions::default().with_coverage(args.coverage)?;
    let scorer = Scorer::new(definition(args.definition.as_deref())?)
        .with_scale(args.scale.clone())
        .with_options(options);
    let missing = if args.listwise {
        MissingData::Listwise
    } else {
        MissingData::Pairwise
    };
    Ok((scorer, missing))
}

/// `--mapping FILE|PRESET` (and the REDCap options) as a mapping, with the folder that
/// relative `source.file` paths start from.
fn mapping(
    args: &MappingArgs,
    definition: &Definition,
    scale: &RatingScale,
) -> Result<Option<(Mapping, PathBuf)>> {
    let Some(name) = &args.mapping else {
        if args.dictionary.is_some() {
            return Err("--dictionary goes with --mapping redcap or redcap-labels".into());
        }
        return Ok(None);
    };
    resolve_mapping(
        name,
        args.dictionary.as_deref(),
        args.redcap_group.as_deref(),
        &args.event,
        definition,
        scale,
    )
    .map(Some)
}

fn resolve_mapping(
    name: &str,
    dictionary: Option<&Path>,
    group: Option<&str>,
    events: &[String],
    definition: &Definition,
    scale: &RatingScale,
) -> Result<(Mapping, PathBuf)> {
    let redcap = match name {
        "redcap" => Some(RedcapExport::Raw),
        "redcap-labels" => Some(RedcapExport::Labels),
        _ => None,
    };
    if let Some(export) = redcap {
        let Some(path) = dictionary else {
            return Err(format!("--mapping {name} is made from the project's data dictionary: give --dictionary FILE").into());
        };
        let mut options = RedcapOptions::new(export);
        options.group = group.map(str::to_owned);
        for event in events {
            let (event, reading) = event.split_once('=').ok_or_else(|| {
                format!("--event `{event}` is not EVENT=READING (e.g. now_arm_1=current)")
            })?;
            options
                .events
                .push((event.to_owned(), reading.parse::<Reading>()?));
        }
        let file =
            fs::File::open(path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
        let mapping =
            Mapping::from_redcap_dictionary(io::BufReader::new(file), definition, scale, &options)
                .map_err(|e| format!("`{}`: {e}", path.display()))?;
        return Ok((mapping, PathBuf::from(".")));
    }
    if dictionary.is_some() || group.is_some() || !events.is_empty() {
        return Err(
            "--dictionary, --redcap-group and --event go with --mapping redcap or redcap-labels"
                .into(),
        );
    }
    let path = Path::new(name);
    if path.is_file() {
        let mapping =
            Mapping::from_json(&read_text(path)?).map_err(|e| format!("`{name}`: {e}"))?;
        let folder = path.parent().map(Path::to_owned).unwrap_or_default();
        return Ok((mapping, folder));
    }
    if PRESETS.iter().any(|(p, _)| *p == name) {
        return Ok((Mapping::preset(name)?, PathBuf::from(".")));
    }
    let known: Vec<&str> = PRESETS.iter().map(|(p, _)| *p).collect();
    Err(format!(
        "--mapping `{name}` is neither a file nor a preset (presets: {}, redcap, redcap-labels)",
        known.join(", ")
    )
    .into())
}

/// A progress bar for reading `len` bytes, shown only on a terminal and for large files.
fn progress(len: u64, what: &str) -> ProgressBar {
    if len < PROGRESS_FROM || !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len);
    let style = ProgressStyle::with_template("{msg} {bar:40} {bytes}/{total_bytes} {eta}")
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar.set_message(what.to_owned());
    bar
}

/// A spinner while a file too large to read in a blink is read in one call.
fn spinner(len: u64, what: &str) -> ProgressBar {
    if len < PROGRESS_FROM || !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    bar.set_message(format!("{what} ({} MB)", len >> 20));
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

/// An export to read through a mapping (the input, or the mapping's `source.file`), with a
/// progress bar on large files, and its path for messages.
fn open_export(
    input: Option<&Path>,
    mapping: &Mapping,
    folder: &Path,
) -> Result<(Export<'static>, ProgressBar, PathBuf)> {
    let path = match (input, mapping.source_file()) {
        (Some(path), _) => path.to_owned(),
        (None, Some(file)) => folder.join(file),
        (None, None) => {
            return Err("give the export to read (the mapping names no `source.file`)".into());
        }
    };
    let len = fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    let bar = progress(len, "importing");
    let export = if mapping.is_workbook() {
        Export::open(&path, mapping).map_err(|e| format!("`{}`: {e}", path.display()))?
    } else {
        let file =
            fs::File::open(&path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
        Export::csv(bar.wrap_read(io::BufReader::new(file)))
    };
    Ok((export, bar, path))
}

/// Writes `format`: the cohort's tallies, or a report of its `summary`.
fn write_report(
    cohort: &Cohort,
    summary: &CohortSummary,
    format: Format,
    out: &mut dyn Write,
) -> Result<()> {
    match format {
        Format::Cohort => {
            out.write_all(cohort.to_json().as_bytes())?;
            out.write_all(b"\n")?;
        }
        Format::Text => out.write_all(report::to_text(summary).as_bytes())?,
        Format::Markdown => out.write_all(report::to_markdown(summary).as_bytes())?,
        Format::Json => out.write_all(report::to_json(summary).as_bytes())?,
        Format::Csv => report::write_tidy_csv(summary, &mut *out)?,
        Format::Html => report::write_html(summary, &mut *out)?,
        Format::Xlsx => workbook(summary, &mut *out)?,
    }
    Ok(())
}

/// The summary every report of a run is made from, with the definition's words when the
/// run has them.
fn summarise(
    cohort: &Cohort,
    disclosure: &Disclosure,
    texts: Option<Texts>,
) -> Result<CohortSummary> {
    let summary = cohort.summarise(disclosure);
    Ok(match texts {
        Some(texts) => summary.with_texts(texts)?,
        None => summary,
    })
}

fn output(path: Option<&Path>) -> Result<Box<dyn Write>> {
    Ok(match path {
        Some(path) => {
            Box::new(io::BufWriter::new(fs::File::create(path).map_err(|e| {
                format!("cannot write `{}`: {e}", path.display())
            })?))
        }
        None => Box::new(io::BufWriter::new(io::stdout().lock())),
    })
}

fn assess(args: AssessArgs) -> Result<()> {
    let (scorer, missing) = scorer(&args.scoring)?;
    let texts = scorer.definition().texts(args.language.as_ref())?;
    let input = args.input.or(args.responses);
    let mapped = mapping(&args.mapping, scorer.definition(), scorer.scale())?;
    let order = if args.sorted {
        Order::Respondent
    } else {
        Order::Any
    };
    let mut builder = (CohortBuilder::new(scorer.clone()).with_missing_data(missing)?)
        .with_order(order)?
        .with_origin(Origin::Line);
    let cohort = match (&mapped, &input) {
        (Some((mapping, folder)), _) => {
            let importer = Importer::new(mapping, scorer.definition(), scorer.scale())?;
            let (export, bar, path) = open_export(input.as_deref(), mapping, folder)?;
            let report = (importer.read_into(export, &mut builder))
                .map_err(|e| format!("`{}`: {e}", path.display()))?;
            bar.finish_and_clear();
            if args.report {
                eprintln!("{report}");
            }
            builder
                .finish()
                .map_err(|e| format!("`{}`: {e}", path.display()))?
        }
        (None, Some(path)) if fhir_input(path).is_some() => read_fhir(
            path,
            &scorer,
            builder.with_origin(Origin::Response),
            args.report,
        )?,
        (None, Some(path)) => {
            let len = fs::metadata(path).map(|m| m.len()).unwrap_or(0);
            let bar = spinner(len, "reading");
            let cohort = living_well::csv::read_file(path, builder)?;
            bar.finish_and_clear();
            cohort
        }
        (None, None) => {
            living_well::csv::read_into(SAMPLE.as_bytes(), &mut builder)?;
            builder.finish()?
        }
    };
    // Before any output, so that a run that cannot write the workbook writes nothing.
    if (args.format == Format::Xlsx || args.xlsx.is_some()) && !cfg!(feature = "workbook") {
        return Err(NO_WORKBOOK.into());
    }
    if args.format == Format::Xlsx && io::stdout().is_terminal() {
        return Err(
            "--format xlsx writes a binary workbook: redirect it to a file, or use --xlsx FILE"
                .into(),
        );
    }
    // One summary for every output of the run.
    let summary = summarise(&cohort, &Disclosure::new(args.min_group), Some(texts))?;
    let mut out = output(None)?;
    write_report(&cohort, &summary, args.format, &mut out)?;
    out.flush()?;
    if let Some(path) = &args.svg {
        fs::write(path, report::to_svg(&summary))
            .map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
    }
    if let Some(path) = &args.xlsx {
        let mut bytes = Vec::new();
        workbook(&summary, &mut bytes)?;
        fs::write(path, bytes).map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
    }
    Ok(())
}

/// The workbook, in a program built with it: rust_xlsxwriter is the costliest part of a
/// cold build (about a third of the CPU time), so it is a feature of its own.
#[cfg(feature = "workbook")]
fn workbook(summary: &CohortSummary, out: &mut dyn Write) -> Result<()> {
    report::write_workbook(summary, out)?;
    Ok(())
}

#[cfg(not(feature = "workbook"))]
fn workbook(_: &CohortSummary, _: &mut dyn Write) -> Result<()> {
    Err(NO_WORKBOOK.into())
}

const NO_WORKBOOK: &str =
    "this program was built without the workbook: build it with --features cli,workbook";

/// How a responses file is FHIR, told by its extension: `.ndjson` (one resource a line)
/// or `.json` (one resource or a Bundle); `None` for any other (CSV).
fn fhir_input(path: &Path) -> Option<FhirInput> {
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    match extension.as_str() {
        "ndjson" => Some(FhirInput::Ndjson),
        "json" => Some(FhirInput::Json),
        _ => None,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FhirInput {
    Json,
    Ndjson,
}

/// A cohort from a file of FHIR QuestionnaireResponses.
/// Reads FHIR QuestionnaireResponses into `builder` (whose origins count responses).
fn read_fhir(
    path: &Path,
    scorer: &Scorer,
    mut builder: CohortBuilder,
    report: bool,
) -> Result<Cohort> {
    let named = |e: &dyn Error| format!("`{}`: {}", path.display(), chain(e));
    let reader = living_well::fhir::ResponseReader::new(scorer);
    let read = match fhir_input(path) {
        Some(FhirInput::Ndjson) => {
            let file = fs::File::open(path)
                .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
            reader.read_ndjson(io::BufReader::new(file))
        }
        _ => reader.read_json(&read_text(path)?),
    }
    .map_err(|e| named(&e))?;
    if report {
        eprintln!(
            "{}: {} QuestionnaireResponses read, {} Bundle entries of other resources skipped",
            path.display(),
            read.responses().len(),
            read.skipped()
        );
    }
    for response in read.responses() {
        builder.add(response).map_err(|e| named(&e))?;
    }
    Ok(builder.finish().map_err(|e| named(&e))?)
}

/// An error and its causes on one line, for errors that go into another's message.
fn chain(e: &dyn Error) -> String {
    let mut line = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        line.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    line
}

fn import_command(args: ImportArgs) -> Result<()> {
    let definition = definition(args.scoring.definition.as_deref())?;
    let scale = &args.scoring.scale;
    let Some((mapping, folder)) = mapping(&args.mapping, &definition, scale)? else {
        return Err("import needs --mapping FILE|PRESET".into());
    };
    let importer = Importer::new(&mapping, &definition, scale)?;
    let (export, bar, path) = open_export(args.input.as_deref(), &mapping, &folder)?;
    let named = |e: living_well::survey::Error| format!("`{}`: {e}", path.display());
    let report = match &args.output {
        // Into the file only once the whole export has been read: no half-written CSV.
        Some(out) => {
            let partial = out.with_file_name(format!(
                ".{}.partial",
                out.file_name().and_then(|n| n.to_str()).unwrap_or("import")
            ));
            let file = fs::File::create(&partial)
                .map_err(|e| format!("cannot write `{}`: {e}", partial.display()))?;
            let written = importer.write_csv(export, io::BufWriter::new(file));
            let report = match written {
                Ok(report) => report,
                Err(e) => {
                    let _ = fs::remove_file(&partial);
                    return Err(named(e).into());
                }
            };
            fs::rename(&partial, out)
                .map_err(|e| format!("cannot write `{}`: {e}", out.display()))?;
            report
        }
        None => importer
            .write_csv(export, io::BufWriter::new(io::stdout().lock()))
            .map_err(named)?,
    };
    bar.finish_and_clear();
    if !args.quiet {
        eprintln!("{report}");
    }
    Ok(())
}

fn definition_command(args: DefinitionArgs) -> Result<()> {
    let d = definition(args.file.as_deref())?;
    let fhir_only = args.reading.is_some() || args.language.is_some() || args.scale.is_some();
    if fhir_only && args.format != DefinitionFormat::Fhir {
        return Err("--reading, --language and --scale go with --format fhir".into());
    }
    let mut out = output(None)?;
    if args.fingerprint {
        writeln!(out, "{}", d.fingerprint())?;
    } else if args.validate {
        writeln!(
            out,
            "valid: {} {} ({} statements), fingerprint {}",
            d.id(),
            d.version(),
            d.statements().len(),
            d.fingerprint()
        )?;
    } else if args.format == DefinitionFormat::Json {
        out.write_all(d.to_json().as_bytes())?;
        writeln!(out)?;
    } else if args.format == DefinitionFormat::Fhir {
        let questionnaire = living_well::fhir::Questionnaire::new(
            &d,
            &args.scale.unwrap_or_default(),
            args.reading.unwrap_or_default(),
            args.language.as_ref(),
        )?;
        out.write_all(questionnaire.to_json().as_bytes())?;
    } else {
        writeln!(out, "{} {}: {}", d.id(), d.version(), d.title())?;
        writeln!(out, "fingerprint {}", d.fingerprint())?;
        for s in d.statements() {
            let weight = if s.weight().is_one() {
                String::new()
            } else {
                format!(" (weight {})", s.weight())
            };
            writeln!(out, "{}{weight}\t{}", s.id(), s.text())?;
        }
    }
    out.flush()?;
    Ok(())
}

fn merge(args: MergeArgs) -> Result<()> {
    let mut merged: Option<Cohort> = None;
    for path in &args.inputs {
        let mut text = String::new();
        fs::File::open(path)
            .and_then(|mut f| f.read_to_string(&mut text))
            .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
        let part = Cohort::from_json(&text).map_err(|e| format!("`{}`: {e}", path.display()))?;
        match &mut merged {
            None => merged = Some(part),
            Some(whole) => whole
                .merge(&part)
                .map_err(|e| format!("`{}`: {e}", path.display()))?,
        }
    }
    let Some(cohort) = merged else {
        return Err("give at least one cohort file".into());
    };
    let definition = definition(args.definition.as_deref())?;
    let texts = if definition.fingerprint() == cohort.definition().fingerprint {
        Some(definition.texts(args.language.as_ref())?)
    } else if args.definition.is_some() || args.language.is_some() {
        return Err(format!(
            "the cohorts were scored under {}, not under the definition given ({})",
            cohort.definition(),
            definition.definition_ref()
        )
        .into());
    } else {
        None
    };
    let summary = summarise(&cohort, &Disclosure::new(args.min_group), texts)?;
    let mut out = output(args.output.as_deref())?;
    write_report(&cohort, &summary, args.format, &mut out)?;
    out.flush()?;
    Ok(())
}

fn mapping_command(args: MappingCommand) -> Result<()> {
    let mut out = output(None)?;
    if args.list {
        for (name, what) in PRESETS {
            writeln!(out, "{name:<18} {what}")?;
        }
        writeln!(
            out,
            "{:<18} REDCap raw export, made from the data dictionary (--dictionary)",
            "redcap"
        )?;
        writeln!(
            out,
            "{:<18} REDCap labels export, made from the data dictionary (--dictionary)",
            "redcap-labels"
        )?;
        out.flush()?;
        return Ok(());
    }
    let Some(name) = &args.preset else {
        return Err("give a preset name (see --list), or redcap --dictionary FILE".into());
    };
    let definition = definition(args.scoring.definition.as_deref())?;
    let (mapping, _) = resolve_mapping(
        name,
        args.dictionary.as_deref(),
        args.redcap_group.as_deref(),
        &args.event,
        &definition,
        &args.scoring.scale,
    )?;
    out.write_all(mapping.to_json().as_bytes())?;
    out.flush()?;
    Ok(())
}

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Assess(args) => assess(args),
        Command::Import(args) => import_command(args),
        Command::Definition(args) => definition_command(args),
        Command::Merge(args) => merge(args),
        Command::Mapping(args) => mapping_command(args),
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // --help and --version.
        Err(e) if !e.use_stderr() => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            // One line: clap's first line reads `error: ...`; its usage hint follows on
            // further lines.
            let text = e.to_string();
            eprintln!(
                "{}",
                text.lines().next().unwrap_or("error: invalid arguments")
            );
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    match run(cli) {
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
            eprintln!("{}", line.replace('\n', " "));
            ExitCode::FAILURE
        }
    }
}

/// Whether `e` is, or wraps, a broken pipe.
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
        // The tidy CSV writer wraps the `csv` crate's error in an `io::Error`.
        if let Some(csv) = e.downcast_ref::<::csv::Error>()
            && let ::csv::ErrorKind::Io(io) = csv.kind()
        {
            return io.kind() == io::ErrorKind::BrokenPipe;
        }
        if let Some(csv) = e.downcast_ref::<living_well::csv::Error>()
            && let living_well::csv::ErrorKind::Io(io) = csv.kind()
        {
            return io.kind() == io::ErrorKind::BrokenPipe;
        }
        if let Some(s) = e.downcast_ref::<living_well::survey::Error>()
            && let living_well::survey::ErrorKind::Io(io) = s.kind()
        {
            return io.kind() == io::ErrorKind::BrokenPipe;
        }
        match e.source() {
            Some(source) => e = source,
            None => return false,
        }
    }
}
