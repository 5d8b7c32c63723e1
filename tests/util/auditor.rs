//! A disclosure auditor for tests: from a cohort's ground truth and the JSON report published
//! from it, searches for linear combinations of published figures that yield a figure over
//! 1 to k-1 people.
//!
//! Include it from a test crate with `#[path = "util/auditor.rs"] mod auditor;`. It depends
//! only on `serde_json` and on the JSON report's format (`living-well-report/1`, see
//! `src/report/json.rs`), never on the crate's Rust API.
//!
//! # The attacker
//!
//! The attacker holds every figure of the report (the tidy CSV, Markdown, text and SVG show
//! a subset of the JSON report's numbers, so the JSON is all of it) and knows, for every
//! figure, *which people* it is over: who belongs to which group, who answered which reading,
//! whose pole scores are missing. This is deliberately generous (the report does not say who
//! lacks a pole score): it is the worst case, and a report that is safe against this attacker
//! is safe against one who must guess the sets. The secrets are the answers: each person's
//! pole scores (and so balances, ...) and, for the answer-count system, each person's answer
//! type per statement.
//!
//! # The model: three linear systems, solved exactly
//!
//! Every published figure over a set `S` of people (resolved from the ground truth, see
//! below) gives one or more linear functionals of per-person unknowns, with a value the
//! attacker can compute from the report:
//!
//! 1. **Means** (`System::Means`). Unknowns: `x[p, reading, cell]`, person `p`'s pole score
//!    in a reading (24 per person). A quantity figure with `n >= 1` and a mean gives
//!    `sum over p in S of L_q(x[p]) = n * mean`, where `L_q` is the quantity's per-person form
//!    from DESIGN.md section 4: pole `x_c`; balance `x_rel - x_mech`; force balance
//!    `(B_people + B_practitioners) / 2`; perspective gap `B_people - B_practitioners`;
//!    relational index `(FB_purpose + FB_power + FB_practice) / 3`; the aspiration series
//!    `L_q(x_desired) - L_q(x_current)`.
//! 2. **Sums of squares** (`System::SumsOfSquares`). Unknowns: the degree-2 monomials
//!    `x_i * x_j` of each person's 24 pole scores (so squares are separate variables, and the
//!    exact identities between them, e.g. `4 FB^2 + PG^2 = 2 B_people^2 + 2 B_practitioners^2`
//!    or `(d - c)^2 = d^2 - 2dc + c^2`, hold by construction). A quantity figure with `n >= 2`
//!    and an sd gives `sum over S of L_q(x[p])^2 = (n - 1) sd^2 + n mean^2`. An `r_wg` of a
//!    cell of ONE statement with `0 < r_wg <= 1` gives that statement's variance over its
//!    raters exactly (`S = sigma_EU^2 (1 - r_wg)`, and the pole is the normalised rating), so
//!    it adds `sum over S of x_c^2 = (n - 1) S / (max - min)^2 + (sum over S of x_c)^2 / n`
//!    **when `sum over S of x_c` is itself derivable** in the means system (the "r_wg beside a
//!    withheld mean" attack). `r_wg = 0` (capped variance) gives only an inequality and is not
//!    used.
//! 3. **Answer counts** (`System::AnswerCounts`, only when the ground truth carries answers).
//!    Unknowns: per person, reading and statement, the indicators `not_applicable`,
//!    `dont_know` and `point j` (rated at the scale's j-th point); `rated` is the sum of the
//!    point indicators, and `unanswered` one minus all of them (the number of respondents of
//!    a reading is public, so it adds nothing). An answer-count row gives three sums over its
//!    set (rated, not applicable, don't know). An answer distribution (`distributions`)
//!    is resolved to its own set, like any figure but trying the complete profiles first
//!    (the crate's set: the reading's complete profiles), and gives its `rated` and one sum
//!    per point over it. The `n` of a pole or `r_wg` figure of a one-statement cell, over the set "people of
//!    the group who answered the reading", is the sum of their `rated` indicators: added too.
//! 4. **Distributions and the means.** A one-statement cell's pole is the normalised rating,
//!    so a distribution of its statement also gives, over its set's raters, the pole's sum
//!    (`Σ point × count`, normalised) in the means system and its sum of squares in the
//!    sums-of-squares system. This is what catches a distribution over other people than
//!    the pole's (everyone who rated, say, beside a pole over the complete profiles): the
//!    difference is the other people's ratings.
//!
//! The value of a functional is never needed to decide disclosure (only which functionals
//! are published); the auditor still computes the derived value of every witness from the
//! published numbers and the true value from the ground truth, so that a test can see the
//! attack work.
//!
//! Arithmetic: exact rationals on `i128` ([`Q`], no extra dependency), with checked
//! operations (an overflow panics rather than giving a wrong answer).
//!
//! # What it searches
//!
//! For each system, people are grouped into *atoms*: people who are in exactly the same
//! published sets. Every functional in the row space is, per atom, one per-person form applied
//! to each of the atom's people, so its support (the people whose unknowns it involves) is a
//! union of whole atoms, and a support of 1..k-1 people can only be made of atoms of fewer
//! than `k` people. The auditor computes, exactly, the subspace `G` of the row space that is
//! zero on every atom of `k` or more people, then:
//!
//! 1. **Decides** whether some nonzero element of `G` is supported on atoms of total size
//!    1..k-1, by an exact branch and bound over the atoms `G` touches (each atom either forced
//!    to zero, a linear condition, or allowed and counted against `k - 1`; a branch dies when
//!    the remaining subspace is `{0}`). When the answer is no (or `G = {0}`), the system is
//!    listed in [`Audit::certified`]: **no** linear combination of that system's published
//!    figures is a figure over 1..k-1 people, for any set of people and any per-person
//!    functional. This is a proof within the model, not a failed search. Past
//!    [`DECISION_BUDGET`] steps it says so in [`Audit::notes`] and certifies nothing.
//! 2. **Lists** findings: every union of touched small atoms of total size 1..k-1, smallest
//!    first (at most [`SEARCH_BUDGET`] of them, else a note), is tested for a nonzero element
//!    of `G` supported on it; each minimal one found gives one finding per independent
//!    functional revealed (a basis of what the report gives about those people), each with
//!    its witness: the published figures combined and their coefficients. If the list comes
//!    out empty while the decision found a disclosure, that one is reported.
//!
//! This covers every single-person unknown `e_{p,v}`, every sum over a group of fewer than
//! `k`, every difference between two published sets, and every other per-person functional
//! such as one person's `x_rel - x_mech`. [`Auditor::derive`] answers whether one given
//! functional (say `x[L, current pole purpose.people.relational]`) is derivable, and how.
//!
//! Besides the linear search it reports:
//! - `SmallFigure`: a shown group of 1..k-1 respondents, and any shown figure (quantity,
//!   `r_wg`, alpha, answer counts) whose own `n` (for answer counts: the people they count)
//!   is 1..k-1;
//! - `WithheldSize`: a withheld pole or `r_wg` figure of a one-statement cell whose `n`
//!   (1..k-1) the published answer counts give exactly, while other figures of the same group
//!   and reading are shown (the "`rated: 1` beside a withheld statistic" case);
//! - `Unmodelled`: a published figure the auditor cannot reproduce from the ground truth with
//!   any of its candidate sets (below). The auditor then cannot vouch for the report.
//!
//! # Which people a figure is over
//!
//! From the ground truth, trying candidate sets in this order and taking the first whose
//! `n`, mean and sd (or `r_wg`, or the four answer counts) reproduce the published ones:
//! people = the group's members (for `(all)`: everyone; else the members of the groups the
//! report shows plus people in no group; else the members of shown groups only) who have the
//! figure's base property (a value of the quantity in that series; a rating of the statement;
//! a response to the reading), then restricted to none, to a complete profile (all 12 poles)
//! in that reading (for aspiration: in both), or to complete profiles in both readings; for
//! `(all)` first the union of the sets already resolved for the same figure in the shown
//! groups, plus no one or the people outside shown groups under each of those restrictions
//! (a mechanism that pools what the blocks publish has that union as its true set, and
//! another candidate fits only by coincidence). If two candidates of different people reproduce the same numbers, the first is used
//! and [`Audit::notes`] says so. A mechanism that leaves some scores out of every figure
//! (say, those of people with an incomplete profile) is audited against its *effective*
//! ground truth, those scores removed (they are in no functional, so nothing about them can
//! be derived); `tests/util/reference_rule.rs` does so.
//!
//! Two exact identities tie the count system to figures' `n`, and are used only where they
//! hold in the ground truth: a one-statement cell's pole (and `r_wg`) has a value exactly
//! for the people who rated the statement, so its `n` over "members with a value" is the
//! members' sum of `rated`.
//!
//! # What it does not search
//!
//! - Non-linear inference: bounds (a mean of 1 over 10 people says every one of them rated
//!   the top point; ratings are integers; indicators are 0 or 1), solving a quadratic (the
//!   sums and sums of squares of two unknown parts together with one part's variance), or
//!   combining the degree-1 and degree-2 systems other than through the `r_wg` rule above.
//! - `r_wg` of cells of two or more statements and Cronbach's alpha (non-additive, on raw
//!   ratings of several statements): checked only by the `SmallFigure` rule.
//! - Anything outside the JSON report (e.g. a second report of the same people), and group
//!   differences computed by the API (`CohortSummary::difference`), which are not in the JSON.
//! - Group sizes, numbers of responses and pairs: treated as public (the attacker already
//!   knows the sets).
#![allow(dead_code, clippy::needless_range_loop)]

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

use serde_json::Value;

// ------------------------------------------------------------------------------------------
// Ground truth
// ------------------------------------------------------------------------------------------

/// The forces, perspectives and orientations, by slug, in the crate's order.
pub const FORCES: [&str; 3] = ["purpose", "power", "practice"];
/// Perspectives.
pub const PERSPECTIVES: [&str; 2] = ["people", "practitioners"];
/// Orientations.
pub const ORIENTATIONS: [&str; 2] = ["relational", "mechanistic"];

/// The 12 cells in the order of [`ReadingTruth::poles`]: cell `i` is force `i / 4`,
/// perspective `(i / 2) % 2`, orientation `i % 2` (the crate's `Cell::ALL`).
pub fn cell_slug(i: usize) -> String {
    format!(
        "{}.{}.{}",
        FORCES[i / 4],
        PERSPECTIVES[(i / 2) % 2],
        ORIENTATIONS[i % 2]
    )
}

/// The position of a cell slug such as `purpose.people.relational` in [`ReadingTruth::poles`].
pub fn cell_index(slug: &str) -> Option<usize> {
    (0..12).find(|&i| cell_slug(i) == slug)
}

/// One answer to one statement (an unanswered statement is absent from the map).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnswerTruth {
    /// A rating on the scale.
    Rated(i32),
    /// Not applicable.
    NotApplicable,
    /// Don't know.
    DontKnow,
}

/// What one person gave in one reading.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReadingTruth {
    /// The 12 pole scores (normalised, in `[0, 1]`), in [`cell_slug`] order; `None` where
    /// missing.
    pub poles: [Option<f64>; 12],
    /// The answers by statement id; `None` if the test does not give them (then the
    /// answer-count system and the `r_wg` checks that need raw ratings are skipped).
    pub answers: Option<BTreeMap<String, AnswerTruth>>,
}

/// One respondent of the cohort.
#[derive(Clone, Debug, PartialEq)]
pub struct Person {
    /// The respondent id (only used in findings).
    pub id: String,
    /// The group label, or `None` for no group.
    pub group: Option<String>,
    /// The current (`[0]`) and desired (`[1]`) readings, `None` where not given.
    pub readings: [Option<ReadingTruth>; 2],
}

// ------------------------------------------------------------------------------------------
// Exact rationals
// ------------------------------------------------------------------------------------------

/// An exact rational on `i128`, always normalised (`d > 0`, `gcd(n, d) = 1`); every
/// operation is checked and panics on overflow.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Q {
    n: i128,
    d: i128,
}

fn gcd(mut a: i128, mut b: i128) -> i128 {
    a = a.abs();
    b = b.abs();
    while b != 0 {
        let t = a % b;
        a = b;
        b = t;
    }
    a
}

const OVERFLOW: &str = "auditor: i128 overflow in exact arithmetic";

impl Q {
    /// Zero.
    pub const ZERO: Q = Q { n: 0, d: 1 };
    /// One.
    pub const ONE: Q = Q { n: 1, d: 1 };

    /// `n / d`, normalised; panics if `d = 0`.
    pub fn new(n: i128, d: i128) -> Q {
        assert!(d != 0, "auditor: zero denominator");
        let g = gcd(n, d).max(1);
        let (n, d) = (n / g, d / g);
        if d < 0 {
            Q {
                n: n.checked_neg().expect(OVERFLOW),
                d: d.checked_neg().expect(OVERFLOW),
            }
        } else {
            Q { n, d }
        }
    }

    /// An integer.
    pub fn int(n: i128) -> Q {
        Q { n, d: 1 }
    }

    /// Whether zero.
    pub fn is_zero(self) -> bool {
        self.n == 0
    }

    /// The nearest `f64`.
    pub fn to_f64(self) -> f64 {
        self.n as f64 / self.d as f64
    }
}

impl std::ops::Add for Q {
    type Output = Q;
    fn add(self, o: Q) -> Q {
        if self.n == 0 {
            return o;
        }
        if o.n == 0 {
            return self;
        }
        let g = gcd(self.d, o.d);
        let a = self.n.checked_mul(o.d / g).expect(OVERFLOW);
        let b = o.n.checked_mul(self.d / g).expect(OVERFLOW);
        let d = (self.d / g).checked_mul(o.d).expect(OVERFLOW);
        Q::new(a.checked_add(b).expect(OVERFLOW), d)
    }
}

impl std::ops::Neg for Q {
    type Output = Q;
    fn neg(self) -> Q {
        Q {
            n: self.n.checked_neg().expect(OVERFLOW),
            d: self.d,
        }
    }
}

impl std::ops::Sub for Q {
    type Output = Q;
    fn sub(self, o: Q) -> Q {
        self + (-o)
    }
}

impl std::ops::Mul for Q {
    type Output = Q;
    fn mul(self, o: Q) -> Q {
        if self.n == 0 || o.n == 0 {
            return Q::ZERO;
        }
        let g1 = gcd(self.n, o.d);
        let g2 = gcd(o.n, self.d);
        let n = (self.n / g1).checked_mul(o.n / g2).expect(OVERFLOW);
        let d = (self.d / g2).checked_mul(o.d / g1).expect(OVERFLOW);
        Q::new(n, d)
    }
}

impl std::ops::Div for Q {
    type Output = Q;
    fn div(self, o: Q) -> Q {
        assert!(o.n != 0, "auditor: division by zero");
        self * Q::new(o.d, o.n)
    }
}

impl fmt::Display for Q {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.d == 1 {
            write!(f, "{}", self.n)
        } else {
            write!(f, "{}/{}", self.n, self.d)
        }
    }
}

// ------------------------------------------------------------------------------------------
// Sparse rows and an echelon basis with provenance
// ------------------------------------------------------------------------------------------

/// A sparse vector: (index, nonzero value), sorted by index.
type Sparse = Vec<(u32, Q)>;

/// `a + f * b`.
fn axpy(a: &Sparse, f: Q, b: &Sparse) -> Sparse {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if j == b.len() || (i < a.len() && a[i].0 < b[j].0) {
            out.push(a[i]);
            i += 1;
        } else if i == a.len() || b[j].0 < a[i].0 {
            out.push((b[j].0, f * b[j].1));
            j += 1;
        } else {
            let v = a[i].1 + f * b[j].1;
            if !v.is_zero() {
                out.push((a[i].0, v));
            }
            i += 1;
            j += 1;
        }
    }
    out
}

/// An echelon basis of a row space: each row's leading (smallest) index is its pivot, no
/// two rows share one. Each row carries its provenance: the combination of the original
/// rows (by id) that it is.
#[derive(Default)]
struct Basis {
    rows: Vec<Sparse>,
    tracks: Vec<Sparse>,
    pivot: HashMap<u32, usize>,
}

impl Basis {
    /// Reduces `v` (with provenance `t`) until its leading index is no pivot.
    fn reduce(&self, mut v: Sparse, mut t: Sparse) -> (Sparse, Sparse) {
        while let Some(&(lead, value)) = v.first() {
            let Some(&b) = self.pivot.get(&lead) else {
                break;
            };
            let f = -(value / self.rows[b][0].1);
            v = axpy(&v, f, &self.rows[b]);
            t = axpy(&t, f, &self.tracks[b]);
        }
        (v, t)
    }

    /// Adds a row; returns whether it was independent.
    fn insert(&mut self, v: Sparse, t: Sparse) -> bool {
        let (v, t) = self.reduce(v, t);
        let Some(&(lead, _)) = v.first() else {
            return false;
        };
        self.pivot.insert(lead, self.rows.len());
        self.rows.push(v);
        self.tracks.push(t);
        true
    }

    /// If `v` is in the row space, the combination of original rows that gives it.
    fn express(&self, v: Sparse) -> Option<Sparse> {
        let (rest, t) = self.reduce(v, Vec::new());
        // reduce() subtracted: v + t_combination = rest, so v = -t_combination when rest = 0.
        rest.is_empty()
            .then(|| t.into_iter().map(|(i, q)| (i, -q)).collect())
    }
}

/// Gauss-Jordan on dense per-person forms: the pivot coordinates (a projection that is
/// injective on the forms' span) and the reduced rows (to test membership of the span).
fn dense_pivots(forms: &[Vec<Q>], d: usize) -> (Vec<usize>, Vec<Vec<Q>>) {
    let mut rows: Vec<Vec<Q>> = Vec::new();
    let mut pivots: Vec<usize> = Vec::new();
    for f in forms {
        let mut v = f.clone();
        for (r, &c) in rows.iter().zip(&pivots) {
            if !v[c].is_zero() {
                let x = v[c];
                for j in 0..d {
                    v[j] = v[j] - x * r[j];
                }
            }
        }
        if let Some(c) = (0..d).find(|&j| !v[j].is_zero()) {
            let x = v[c];
            for j in 0..d {
                v[j] = v[j] / x;
            }
            for r in rows.iter_mut() {
                if !r[c].is_zero() {
                    let y = r[c];
                    for j in 0..d {
                        r[j] = r[j] - y * v[j];
                    }
                }
            }
            rows.push(v);
            pivots.push(c);
        }
    }
    (pivots, rows)
}

fn in_dense_span(v: &[Q], pivots: &[usize], rows: &[Vec<Q>]) -> bool {
    let mut v = v.to_vec();
    for (r, &c) in rows.iter().zip(pivots) {
        if !v[c].is_zero() {
            let x = v[c];
            for j in 0..v.len() {
                v[j] = v[j] - x * r[j];
            }
        }
    }
    v.iter().all(|q| q.is_zero())
}

// ------------------------------------------------------------------------------------------
// Findings
// ------------------------------------------------------------------------------------------

/// Which linear system a derivation was found in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum System {
    /// Sums (n * mean) of pole scores and the quantities built from them.
    Means,
    /// Sums of squares (from the sd, and from one-statement `r_wg`).
    SumsOfSquares,
    /// Counts of people by answer type.
    AnswerCounts,
}

/// What kind of finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FindingKind {
    /// A shown figure (or group) whose own n is 1..k-1.
    SmallFigure,
    /// A linear combination of published figures supported on 1..k-1 people.
    Derivable(System),
    /// The n (1..k-1) of a withheld figure, given exactly by published counts.
    WithheldSize,
    /// A published figure the auditor could not reproduce from the ground truth.
    Unmodelled,
}

/// One disclosure (or a figure the auditor cannot account for).
#[derive(Clone, Debug)]
pub struct Finding {
    /// The kind.
    pub kind: FindingKind,
    /// The respondent ids of the people the figure is over.
    pub people: Vec<String>,
    /// What is revealed, e.g. `+1 x[L, current, pole purpose.people.relational]`.
    pub revealed: String,
    /// The published figures combined, with their coefficients, e.g.
    /// `+1 (all) current pole purpose.people.relational (n=17) [sum]`.
    pub from: Vec<String>,
    /// The value derived from the published numbers (approximate: they are rounded `f64`).
    pub derived: Option<f64>,
    /// The true value from the ground truth.
    pub truth: Option<f64>,
}

impl Finding {
    /// Whether any of the combined figures' labels contains `s`.
    pub fn uses(&self, s: &str) -> bool {
        self.from.iter().any(|f| f.contains(s))
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{:?} over {:?}: {}",
            self.kind, self.people, self.revealed
        )?;
        if let (Some(d), Some(t)) = (self.derived, self.truth) {
            writeln!(f, "  derived {d} (true {t})")?;
        }
        for x in &self.from {
            writeln!(f, "  {x}")?;
        }
        Ok(())
    }
}

/// The result of an audit.
#[derive(Clone, Debug, Default)]
pub struct Audit {
    /// The disclosures found (empty: none found within what the auditor searches).
    pub findings: Vec<Finding>,
    /// Remarks: ambiguous set resolutions, searches cut by the budget, skipped systems.
    pub notes: Vec<String>,
    /// Published figures modelled, per system: (rows, rank).
    pub ranks: Vec<(System, usize, usize)>,
    /// The systems in which no linear combination of published figures at all is
    /// supported on fewer than k people (the subspace `G` of the module docs is `{0}`): a
    /// proof, within the model, not just an unsuccessful search.
    pub certified: Vec<System>,
}

impl fmt::Display for Audit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for x in &self.findings {
            write!(f, "{x}")?;
        }
        for n in &self.notes {
            writeln!(f, "note: {n}")?;
        }
        Ok(())
    }
}

/// The most unions of small atoms tested per system.
pub const SEARCH_BUDGET: usize = 3000;

// ------------------------------------------------------------------------------------------
// Quantities and per-person forms
// ------------------------------------------------------------------------------------------

const SERIES: [&str; 3] = ["current", "desired", "aspiration"];
const NQ: usize = 25;
/// Per-person base unknowns of the means system: reading * 12 + cell.
const NV: usize = 24;

fn quantity_label(q: usize) -> String {
    match q {
        0..12 => format!("pole {}", cell_slug(q)),
        12..18 => format!(
            "balance {}.{}",
            FORCES[(q - 12) / 2],
            PERSPECTIVES[(q - 12) % 2]
        ),
        18..21 => format!("force_balance {}", FORCES[q - 18]),
        21..24 => format!("perspective_gap {}", FORCES[q - 21]),
        _ => "relational_index".to_owned(),
    }
}

/// The quantity index (0..25, the crate's `Quantity::ALL` order) of a JSON quantity object.
fn quantity_of(o: &Value) -> Option<usize> {
    let pos = |key: &str, slugs: &[&str]| {
        o.get(key)
            .and_then(Value::as_str)
            .and_then(|s| slugs.iter().position(|x| *x == s))
    };
    let (f, p, or) = (
        pos("force", &FORCES),
        pos("perspective", &PERSPECTIVES),
        pos("orientation", &ORIENTATIONS),
    );
    Some(match o.get("quantity")?.as_str()? {
        "pole" => f? * 4 + p? * 2 + or?,
        "balance" => 12 + f? * 2 + p?,
        "force_balance" => 18 + f?,
        "perspective_gap" => 21 + f?,
        "relational_index" => 24,
        _ => return None,
    })
}

/// The per-person form of quantity `q` over one reading's 12 poles.
fn reading_form(q: usize) -> [Q; 12] {
    let mut v = [Q::ZERO; 12];
    let balance = |v: &mut [Q; 12], f: usize, p: usize, w: Q| {
        v[f * 4 + p * 2] = v[f * 4 + p * 2] + w;
        v[f * 4 + p * 2 + 1] = v[f * 4 + p * 2 + 1] - w;
    };
    match q {
        0..12 => v[q] = Q::ONE,
        12..18 => balance(&mut v, (q - 12) / 2, (q - 12) % 2, Q::ONE),
        18..21 => {
            balance(&mut v, q - 18, 0, Q::new(1, 2));
            balance(&mut v, q - 18, 1, Q::new(1, 2));
        }
        21..24 => {
            balance(&mut v, q - 21, 0, Q::ONE);
            balance(&mut v, q - 21, 1, -Q::ONE);
        }
        _ => {
            for f in 0..3 {
                for p in 0..2 {
                    balance(&mut v, f, p, Q::new(1, 6));
                }
            }
        }
    }
    v
}

/// The per-person form of quantity `q` in series `s` over the 24 base unknowns.
fn series_form(s: usize, q: usize) -> Vec<Q> {
    let r = reading_form(q);
    let mut v = vec![Q::ZERO; NV];
    for c in 0..12 {
        match s {
            0 => v[c] = r[c],
            1 => v[12 + c] = r[c],
            _ => {
                v[c] = -r[c];
                v[12 + c] = r[c];
            }
        }
    }
    v
}

/// The square of a 24-form as a form over monomials `i * 24 + j`, `i <= j`.
fn square_form(l: &[Q]) -> Vec<Q> {
    let mut m = vec![Q::ZERO; NV * NV];
    for i in 0..NV {
        for j in i..NV {
            let c = l[i] * l[j];
            if !c.is_zero() {
                m[i * NV + j] = if i == j { c } else { c * Q::int(2) };
            }
        }
    }
    m
}

fn var_label(v: usize) -> String {
    format!("{} pole {}", SERIES[v / 12], cell_slug(v % 12))
}

// ------------------------------------------------------------------------------------------
// The report and the people, as the auditor sees them
// ------------------------------------------------------------------------------------------

struct GroupObj<'a> {
    name: String,
    whole: bool,
    withheld: bool,
    respondents: Option<u64>,
    responses: [Option<u64>; 2],
    series: [Option<&'a Value>; 3],
}

struct View<'a> {
    k: u64,
    min: i32,
    max: i32,
    statements: Vec<String>,
    stmt_cell: Vec<Option<usize>>,
    cell_size: [usize; 12],
    groups: Vec<GroupObj<'a>>,
    shown_groups: BTreeSet<String>,
    people: &'a [Person],
}

impl View<'_> {
    /// The answer-count unknowns per person, reading and statement: not applicable, don't
    /// know, and one per point of the scale.
    fn width(&self) -> usize {
        2 + (i64::from(self.max) - i64::from(self.min) + 1) as usize
    }
    /// The answer-count unknown of `slot` (0 not applicable, 1 don't know, 2 + j point j).
    fn slot(&self, r: usize, st: usize, slot: usize) -> usize {
        (r * self.statements.len() + st) * self.width() + slot
    }
    /// The answer-count form of "rated" (the sum of the point indicators) of `st` in `r`.
    fn rated_form(&self) -> impl Fn(usize, usize) -> Vec<Q> + '_ {
        move |r, st| {
            let mut e = vec![Q::ZERO; 2 * self.statements.len() * self.width()];
            for j in 2..self.width() {
                e[self.slot(r, st, j)] = Q::ONE;
            }
            e
        }
    }
    fn pole(&self, p: usize, r: usize, c: usize) -> Option<f64> {
        self.people[p].readings[r].as_ref().and_then(|t| t.poles[c])
    }
    fn responded(&self, p: usize, r: usize) -> bool {
        self.people[p].readings[r].is_some()
    }
    fn complete(&self, p: usize, r: usize) -> bool {
        (0..12).all(|c| self.pole(p, r, c).is_some())
    }
    fn base(&self, p: usize, v: usize) -> Option<f64> {
        self.pole(p, v / 12, v % 12)
    }
    /// The value of a 24-form for person p, if every unknown it involves exists.
    fn eval(&self, p: usize, form: &[Q]) -> Option<f64> {
        let mut s = 0.0;
        for (v, c) in form.iter().enumerate() {
            if !c.is_zero() {
                s += c.to_f64() * self.base(p, v)?;
            }
        }
        Some(s)
    }
    fn answer(&self, p: usize, r: usize, s: usize) -> Option<Option<AnswerTruth>> {
        let t = self.people[p].readings[r].as_ref()?;
        let a = t.answers.as_ref()?;
        Some(a.get(&self.statements[s]).copied())
    }
    /// The true value of per-person unknown `j` of `system` for person `p`.
    fn truth(&self, system: System, p: usize, j: usize) -> Option<f64> {
        match system {
            System::Means => self.base(p, j),
            System::SumsOfSquares => Some(self.base(p, j / NV)? * self.base(p, j % NV)?),
            System::AnswerCounts => {
                let (ns, w) = (self.statements.len(), self.width());
                let (r, rest) = (j / (w * ns), j % (w * ns));
                let a = self.answer(p, r, rest / w)?;
                Some(match (a, rest % w) {
                    (Some(AnswerTruth::NotApplicable), 0) | (Some(AnswerTruth::DontKnow), 1) => 1.0,
                    (Some(AnswerTruth::Rated(x)), t)
                        if t >= 2 && i64::from(x) - i64::from(self.min) == t as i64 - 2 =>
                    {
                        1.0
                    }
                    _ => 0.0,
                })
            }
        }
    }

    fn has_answers(&self) -> bool {
        self.people
            .iter()
            .all(|p| p.readings.iter().flatten().all(|r| r.answers.is_some()))
    }
    /// Candidate member lists of a group object, in order.
    fn memberships(&self, g: &GroupObj) -> Vec<(&'static str, Vec<bool>)> {
        let n = self.people.len();
        if !g.whole {
            let m = (0..n)
                .map(|p| self.people[p].group.as_deref() == Some(g.name.as_str()))
                .collect();
            return vec![("members", m)];
        }
        let shown = |p: usize| {
            self.people[p]
                .group
                .as_ref()
                .is_some_and(|x| self.shown_groups.contains(x))
        };
        vec![
            ("everyone", vec![true; n]),
            (
                "shown groups and no group",
                (0..n)
                    .map(|p| shown(p) || self.people[p].group.is_none())
                    .collect(),
            ),
            ("shown groups", (0..n).map(shown).collect()),
        ]
    }
}

fn parse<'a>(people: &'a [Person], report: &'a Value) -> Result<View<'a>, String> {
    let k = report["disclosure"]["min_group"]
        .as_u64()
        .ok_or("no disclosure.min_group")?;
    let min = report["scale"]["min"].as_i64().ok_or("no scale.min")? as i32;
    let max = report["scale"]["max"].as_i64().ok_or("no scale.max")? as i32;
    let statements: Vec<String> = report["statements"]
        .as_array()
        .ok_or("no statements")?
        .iter()
        .filter_map(|s| s.as_str().map(str::to_owned))
        .collect();
    let stmt_cell: Vec<Option<usize>> = statements
        .iter()
        .map(|s| s.rsplit_once('.').and_then(|(c, _)| cell_index(c)))
        .collect();
    let mut cell_size = [0; 12];
    for c in stmt_cell.iter().flatten() {
        cell_size[*c] += 1;
    }
    let mut groups = Vec::new();
    for g in report["groups"].as_array().ok_or("no groups")? {
        let series = SERIES.map(|s| g.get("series").and_then(|m| m.get(s)));
        groups.push(GroupObj {
            name: g["group"].as_str().unwrap_or_default().to_owned(),
            whole: g.get("whole_cohort").and_then(Value::as_bool) == Some(true),
            withheld: g["withheld"].as_bool().unwrap_or(false),
            respondents: g.get("respondents").and_then(Value::as_u64),
            responses: [
                g.pointer("/responses/current").and_then(Value::as_u64),
                g.pointer("/responses/desired").and_then(Value::as_u64),
            ],
            series,
        });
    }
    let shown_groups = groups
        .iter()
        .filter(|g| !g.whole && !g.withheld)
        .map(|g| g.name.clone())
        .collect();
    Ok(View {
        k,
        min,
        max,
        statements,
        stmt_cell,
        cell_size,
        groups,
        shown_groups,
        people,
    })
}

// ------------------------------------------------------------------------------------------
// Rows of the three systems
// ------------------------------------------------------------------------------------------

/// One published linear functional: `sum over p in set of form(x[p]) = value`.
struct Row {
    label: String,
    set: Vec<usize>,
    form: usize,
    value: f64,
}

struct LinSystem {
    system: System,
    /// Dimension of the per-person unknowns.
    d: usize,
    forms: Vec<Vec<Q>>,
    form_ids: HashMap<Vec<Q>, usize>,
    rows: Vec<Row>,
}

impl LinSystem {
    fn new(system: System, d: usize) -> LinSystem {
        LinSystem {
            system,
            d,
            forms: Vec::new(),
            form_ids: HashMap::new(),
            rows: Vec::new(),
        }
    }
    fn form(&mut self, f: Vec<Q>) -> usize {
        if let Some(&i) = self.form_ids.get(&f) {
            return i;
        }
        self.forms.push(f.clone());
        self.form_ids.insert(f, self.forms.len() - 1);
        self.forms.len() - 1
    }
    fn push(&mut self, label: String, set: Vec<usize>, form: Vec<Q>, value: f64) {
        if set.is_empty() {
            return;
        }
        let form = self.form(form);
        self.rows.push(Row {
            label,
            set,
            form,
            value,
        });
    }
    fn var_label(&self, v: usize, statements: &[String]) -> String {
        match self.system {
            System::Means => var_label(v),
            System::SumsOfSquares => {
                let (i, j) = (v / NV, v % NV);
                if i == j {
                    format!("({})^2", var_label(i))
                } else {
                    format!("({})*({})", var_label(i), var_label(j))
                }
            }
            System::AnswerCounts => {
                let s = statements.len();
                let w = self.d / (2 * s.max(1));
                let (r, rest) = (v / (w * s), v % (w * s));
                let t = match rest % w {
                    0 => "not_applicable".to_owned(),
                    1 => "dont_know".to_owned(),
                    j => format!("point {}", j - 2),
                };
                format!("{} {} {}", SERIES[r], statements[rest / w], t)
            }
        }
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

fn mean_sd(xs: &[f64]) -> (Option<f64>, Option<f64>) {
    let n = xs.len() as f64;
    if xs.is_empty() {
        return (None, None);
    }
    let m = xs.iter().sum::<f64>() / n;
    if xs.len() < 2 {
        return (Some(m), None);
    }
    let ss: f64 = xs.iter().map(|x| (x - m) * (x - m)).sum();
    (Some(m), Some((ss / (n - 1.0)).sqrt()))
}

/// Ratings (raw) of statement `s` in reading `r` by person `p`, if rated.
///
/// A rating of a one-statement cell whose pole score the ground truth does not have is not
/// counted: the pole exists exactly when the statement is rated, so such a rating is one a
/// mechanism left out of its figures (see `reference_rule.rs`, "effective truth").
fn rating(v: &View, p: usize, r: usize, s: usize) -> Option<f64> {
    let single = v.stmt_cell[s].filter(|&c| v.cell_size[c] == 1);
    if let Some(c) = single
        && v.pole(p, r, c).is_none()
    {
        return None;
    }
    match v.answer(p, r, s) {
        Some(Some(AnswerTruth::Rated(x))) => Some(f64::from(x)),
        Some(_) => None,
        // No answers in the ground truth: a one-statement cell's pole is the rating.
        None => {
            let c = v.stmt_cell[s]?;
            (v.cell_size[c] == 1)
                .then(|| v.pole(p, r, c))
                .flatten()
                .map(|x| f64::from(v.min) + x * f64::from(v.max - v.min))
        }
    }
}

fn rwg_single(v: &View, ratings: &[f64]) -> Option<f64> {
    let (_, sd) = mean_sd(ratings);
    let var = sd? * sd?;
    let a = f64::from(v.max - v.min + 1);
    let null = (a * a - 1.0) / 12.0;
    let ratio = (var / null).min(1.0);
    Some((1.0 - ratio).clamp(0.0, 1.0))
}

/// An `r_wg` of a one-statement cell, resolved: set, reading, cell, variance of the ratings.
struct RwgFact {
    label: String,
    set: Vec<usize>,
    reading: usize,
    cell: usize,
    variance: f64,
}

struct Built {
    means: LinSystem,
    squares: LinSystem,
    counts: Option<LinSystem>,
    rwg: Vec<RwgFact>,
    /// (label, group name, reading, statement, members who answered the reading) of withheld
    /// one-statement pole / r_wg figures, with the true would-be n.
    withheld_single: Vec<(String, usize, usize, Vec<usize>, usize)>,
    findings: Vec<Finding>,
    notes: Vec<String>,
}

fn ids(v: &View, set: &[usize]) -> Vec<String> {
    set.iter().map(|&p| v.people[p].id.clone()).collect()
}

/// A candidate set of people for a figure.
struct Candidate {
    name: String,
    set: Vec<usize>,
    /// The membership it restricts (index into `View::memberships`), when it is "members
    /// with the figure's base property" and nothing more (availability rule 0).
    plain: Option<usize>,
}

/// The candidate sets of a figure of group `g`: each membership, restricted to people with
/// `base` (a value of the quantity / a rating of the statement / a response to the reading)
/// and then to none, complete profiles in the series, or complete profiles in both readings;
/// for `(all)` also the union of the shown groups' sets of the same figure (`parts`) plus
/// the people outside shown groups under each of those rules, or plus no one.
fn candidates(
    v: &View,
    g: &GroupObj,
    base: &dyn Fn(usize) -> bool,
    reading: Option<usize>,
    parts: Option<&BTreeSet<usize>>,
) -> Vec<Candidate> {
    let np = v.people.len();
    let complete = |p: usize| match reading {
        Some(r) => v.complete(p, r),
        None => v.complete(p, 0) && v.complete(p, 1),
    };
    let paired = |p: usize| v.complete(p, 0) && v.complete(p, 1);
    let rules: [(&str, &dyn Fn(usize) -> bool); 3] = [
        ("", &|_| true),
        (", complete in the series", &complete),
        (", complete in both readings", &paired),
    ];
    let mut out = Vec::new();
    // The whole cohort's union candidates come first: a mechanism that pools exactly what
    // the shown blocks publish (the crate's) has that union as its true set, and another
    // candidate can reproduce the same numbers only by coincidence (equal scores), which
    // would make the auditor model the wrong people.
    if g.whole {
        let parts = parts.cloned().unwrap_or_default();
        let outside = |p: usize| {
            !v.people[p]
                .group
                .as_ref()
                .is_some_and(|x| v.shown_groups.contains(x))
        };
        out.push(Candidate {
            name: "shown groups' sets".into(),
            set: parts.iter().copied().collect(),
            plain: None,
        });
        for (rname, rule) in &rules {
            let mut set = parts.clone();
            set.extend((0..np).filter(|&p| outside(p) && base(p) && rule(p)));
            out.push(Candidate {
                name: format!("shown groups' sets and the rest{rname}"),
                set: set.into_iter().collect(),
                plain: None,
            });
        }
    }
    for (mi, (mname, m)) in v.memberships(g).into_iter().enumerate() {
        for (ri, (rname, rule)) in rules.iter().enumerate() {
            out.push(Candidate {
                name: format!("{mname}{rname}"),
                set: (0..np).filter(|&p| m[p] && base(p) && rule(p)).collect(),
                plain: (ri == 0).then_some(mi),
            });
        }
    }
    out
}

/// The first candidate that `fits`; a note if a later one with other people fits too.
fn pick(
    cands: Vec<Candidate>,
    fits: &dyn Fn(&[usize]) -> bool,
    label: &str,
    notes: &mut Vec<String>,
) -> Option<Candidate> {
    let mut chosen: Option<Candidate> = None;
    for c in cands {
        if !fits(&c.set) {
            continue;
        }
        match &chosen {
            None => chosen = Some(c),
            Some(first) if first.set != c.set => {
                notes.push(format!(
                    "{label}: sets `{}` and `{}` both reproduce it; used the first",
                    first.name, c.name
                ));
                break;
            }
            Some(_) => {}
        }
    }
    chosen
}

fn build(v: &View) -> Built {
    let k = v.k;
    let small = |n: u64| n > 0 && n < k;
    let np = v.people.len();
    let mut means = LinSystem::new(System::Means, NV);
    let mut squares = LinSystem::new(System::SumsOfSquares, NV * NV);
    let with_answers = v.has_answers();
    let ns = v.statements.len();
    // The position of an answers or distributions entry's statement, unless it is withheld.
    let shown_statement = |o: &Value| {
        if o.get("withheld").and_then(Value::as_bool) == Some(true) {
            return None;
        }
        let id = o["statement"].as_str()?;
        v.statements.iter().position(|y| y == id)
    };
    let mut counts = with_answers.then(|| LinSystem::new(System::AnswerCounts, 2 * ns * v.width()));
    let rated_form = v.rated_form();
    let mut rwg = Vec::new();
    let mut withheld_single = Vec::new();
    let mut findings = Vec::new();
    let mut notes = Vec::new();
    if !with_answers {
        notes.push("ground truth has no answers: answer counts not audited".into());
    }
    let small_figure = |label: String| Finding {
        kind: FindingKind::SmallFigure,
        people: Vec::new(),
        revealed: label.clone(),
        from: vec![label],
        derived: None,
        truth: None,
    };
    let unmodelled = |label: String| Finding {
        kind: FindingKind::Unmodelled,
        people: Vec::new(),
        revealed: format!("{label}: no candidate set reproduces it"),
        from: vec![label],
        derived: None,
        truth: None,
    };
    // The sets resolved for the shown groups' figures, by figure, for `(all)`'s candidates.
    let mut parts: HashMap<String, BTreeSet<usize>> = HashMap::new();
    // The n of a one-statement pole or r_wg over "members who answered the reading" counts
    // their ratings of the statement.
    let count_n = |counts: &mut Option<LinSystem>,
                   label: &str,
                   members: &[bool],
                   r: usize,
                   st: usize,
                   n: u64| {
        if let Some(counts) = counts.as_mut() {
            let resp: Vec<usize> = (0..np)
                .filter(|&p| members[p] && v.responded(p, r))
                .collect();
            // The identity holds only where a rating and the pole go together (always in the
            // crate; not where a mechanism left a rated pole out of its figures).
            let c = v.stmt_cell[st].unwrap();
            let rated = |p: usize| matches!(v.answer(p, r, st), Some(Some(AnswerTruth::Rated(_))));
            if resp.iter().any(|&p| rated(p) != v.pole(p, r, c).is_some()) {
                return;
            }
            counts.push(format!("{label} [n]"), resp, rated_form(r, st), n as f64);
        }
    };

    // Groups first, then `(all)`, so that `(all)` can be matched against its parts.
    let order: Vec<&GroupObj> = (v.groups.iter().filter(|g| !g.whole))
        .chain(v.groups.iter().filter(|g| g.whole))
        .collect();
    for g in order {
        if g.withheld {
            continue;
        }
        if let Some(n) = g.respondents
            && small(n)
        {
            findings.push(small_figure(format!(
                "{} shown with {n} respondents",
                g.name
            )));
        }
        let members = v.memberships(g);
        for (s, series) in g.series.iter().enumerate() {
            let Some(series) = series else { continue };
            let reading = (s < 2).then_some(s);
            // Whether any quantity of this group and series is shown (for WithheldSize).
            let mut any_shown = false;
            let mut withheld_single_cells = BTreeSet::new();
            for o in series["quantities"].as_array().into_iter().flatten() {
                let Some(q) = quantity_of(o) else { continue };
                let label = format!("{} {} {}", g.name, SERIES[s], quantity_label(q));
                if o.get("withheld").and_then(Value::as_bool) == Some(true) {
                    if q < 12 {
                        withheld_single_cells.insert(q);
                    }
                    continue;
                }
                any_shown = true;
                let n = o["n"].as_u64().unwrap_or(0);
                let label = format!("{label} (n={n})");
                let mean = o["mean"].as_f64();
                let sd = o["sd"].as_f64();
                if small(n) {
                    findings.push(small_figure(label.clone()));
                }
                let form = series_form(s, q);
                let has = |p: usize| {
                    v.eval(p, &form).is_some()
                        && (s < 2 || (v.responded(p, 0) && v.responded(p, 1)))
                };
                let key = format!("q/{s}/{q}");
                let fits = |set: &[usize]| {
                    if set.len() as u64 != n {
                        return false;
                    }
                    let xs: Vec<f64> = set.iter().filter_map(|&p| v.eval(p, &form)).collect();
                    let (m2, sd2) = mean_sd(&xs);
                    (match (mean, m2) {
                        (Some(a), Some(b)) => close(a, b),
                        (None, _) => true,
                        _ => false,
                    }) && match (sd, sd2) {
                        (Some(a), Some(b)) => (a - b).abs() <= 1e-7 * a.abs().max(1.0),
                        (None, _) => true,
                        _ => false,
                    }
                };
                let cands = candidates(v, g, &has, reading, parts.get(&key));
                let Some(c) = pick(cands, &fits, &label, &mut notes) else {
                    findings.push(unmodelled(label));
                    continue;
                };
                if !g.whole {
                    parts.entry(key).or_default().extend(c.set.iter().copied());
                }
                if let Some(mean) = mean {
                    let nf = n as f64;
                    means.push(
                        format!("{label} [sum]"),
                        c.set.clone(),
                        form.clone(),
                        nf * mean,
                    );
                    if let Some(sd) = sd
                        && n >= 2
                    {
                        squares.push(
                            format!("{label} [sum of squares]"),
                            c.set.clone(),
                            square_form(&form),
                            (nf - 1.0) * sd * sd + nf * mean * mean,
                        );
                    }
                }
                if let (Some(r), Some(mi)) = (reading, c.plain)
                    && q < 12
                    && v.cell_size[q] == 1
                {
                    let st = v.stmt_cell.iter().position(|x| *x == Some(q)).unwrap();
                    count_n(&mut counts, &label, &members[mi].1, r, st, n);
                }
            }
            let Some(r) = reading else { continue };
            // Agreement.
            for o in series["agreement"].as_array().into_iter().flatten() {
                let Some(c) = o["cell"].as_str().and_then(cell_index) else {
                    continue;
                };
                let label = format!("{} {} rwg {}", g.name, SERIES[s], cell_slug(c));
                if o.get("withheld").and_then(Value::as_bool) == Some(true) {
                    withheld_single_cells.insert(c);
                    continue;
                }
                let n = o["n"].as_u64().unwrap_or(0);
                let value = o["rwg"].as_f64();
                let label = format!("{label} (n={n}, rwg={value:?})");
                if small(n) {
                    findings.push(small_figure(label.clone()));
                }
                if v.cell_size[c] != 1 {
                    continue;
                }
                let st = v.stmt_cell.iter().position(|x| *x == Some(c)).unwrap();
                let rated = |p: usize| rating(v, p, r, st).is_some();
                let key = format!("rwg/{r}/{c}");
                let fits = |set: &[usize]| {
                    let xs: Vec<f64> = set.iter().filter_map(|&p| rating(v, p, r, st)).collect();
                    set.len() as u64 == n
                        && match (value, rwg_single(v, &xs)) {
                            (Some(a), Some(b)) => (a - b).abs() <= 1e-9,
                            (None, None) => true,
                            _ => false,
                        }
                };
                let cands = candidates(v, g, &rated, reading, parts.get(&key));
                let Some(cand) = pick(cands, &fits, &label, &mut notes) else {
                    findings.push(unmodelled(label));
                    continue;
                };
                if !g.whole {
                    parts
                        .entry(key)
                        .or_default()
                        .extend(cand.set.iter().copied());
                }
                if let Some(value) = value
                    && value > 0.0
                {
                    let a = f64::from(v.max - v.min + 1);
                    rwg.push(RwgFact {
                        label: label.clone(),
                        set: cand.set.clone(),
                        reading: r,
                        cell: c,
                        variance: (a * a - 1.0) / 12.0 * (1.0 - value),
                    });
                }
                if let Some(mi) = cand.plain {
                    count_n(&mut counts, &label, &members[mi].1, r, st, n);
                }
            }
            // Reliability: only its n.
            for o in series["reliability"].as_array().into_iter().flatten() {
                if o.get("withheld").and_then(Value::as_bool) == Some(true) {
                    continue;
                }
                let n = o["n"].as_u64().unwrap_or(0);
                if small(n) {
                    findings.push(small_figure(format!(
                        "{} {} alpha {} (n={n})",
                        g.name,
                        SERIES[s],
                        o["cell"].as_str().unwrap_or("?")
                    )));
                }
            }
            // Answer counts.
            for o in series["answers"].as_array().into_iter().flatten() {
                let Some(st) = shown_statement(o) else {
                    continue;
                };
                let label = format!("{} {} answers {}", g.name, SERIES[s], v.statements[st]);
                let got = ["rated", "not_applicable", "dont_know", "unanswered"]
                    .map(|f| o[f].as_u64().unwrap_or(0));
                let total: u64 = got.iter().sum();
                if small(total) {
                    findings.push(small_figure(format!("{label} (of {total})")));
                }
                if counts.is_none() {
                    continue;
                }
                let responded = |p: usize| v.responded(p, r);
                let key = format!("ans/{r}/{st}");
                let fits = |set: &[usize]| {
                    let mut tally = [0u64; 4];
                    for &p in set {
                        let i = match v.answer(p, r, st).flatten() {
                            Some(AnswerTruth::Rated(_)) => 0,
                            Some(AnswerTruth::NotApplicable) => 1,
                            Some(AnswerTruth::DontKnow) => 2,
                            None => 3,
                        };
                        tally[i] += 1;
                    }
                    tally == got
                };
                let cands = candidates(v, g, &responded, reading, parts.get(&key));
                let Some(cand) = pick(cands, &fits, &label, &mut notes) else {
                    findings.push(unmodelled(label));
                    continue;
                };
                if !g.whole {
                    parts
                        .entry(key)
                        .or_default()
                        .extend(cand.set.iter().copied());
                }
                let counts = counts.as_mut().unwrap();
                counts.push(
                    format!("{label} [rated={}]", got[0]),
                    cand.set.clone(),
                    rated_form(r, st),
                    got[0] as f64,
                );
                for (t, name) in ["not_applicable", "dont_know"].iter().enumerate() {
                    let mut e = vec![Q::ZERO; 2 * ns * v.width()];
                    e[v.slot(r, st, t)] = Q::ONE;
                    counts.push(
                        format!("{label} [{name}={}]", got[t + 1]),
                        cand.set.clone(),
                        e,
                        got[t + 1] as f64,
                    );
                }
            }
            // Answer distributions: the count at each point, over their own set (resolved
            // like any figure's: the crate's is the reading's complete profiles).
            for o in series["distributions"].as_array().into_iter().flatten() {
                let Some(st) = shown_statement(o) else {
                    continue;
                };
                let rated = o["rated"].as_u64().unwrap_or(0);
                let label = format!(
                    "{} {} distribution {} (rated={rated})",
                    g.name, SERIES[s], v.statements[st]
                );
                let points: Vec<(usize, u64)> = (o["points"].as_object().into_iter().flatten())
                    .filter_map(|(point, n)| {
                        let j = i64::from(point.parse::<i32>().ok()?) - i64::from(v.min);
                        Some((usize::try_from(j).ok()?, n.as_u64()?))
                    })
                    .collect();
                let sum: u64 = points.iter().map(|&(_, n)| n).sum();
                if sum != rated || points.iter().any(|&(j, _)| j + 2 >= v.width()) {
                    findings.push(unmodelled(label));
                    continue;
                }
                let raw = |p: usize| match v.answer(p, r, st) {
                    Some(Some(AnswerTruth::Rated(x))) => Some(x),
                    Some(_) => None,
                    None => rating(v, p, r, st).map(|x| x as i32),
                };
                let responded = |p: usize| v.responded(p, r);
                let key = format!("dist/{r}/{st}");
                let fits = |set: &[usize]| {
                    set.iter().filter(|&&p| raw(p).is_some()).count() as u64 == rated
                        && points.iter().all(|&(j, n)| {
                            let at = set.iter().filter(|&&p| {
                                raw(p).is_some_and(|x| i64::from(x) - i64::from(v.min) == j as i64)
                            });
                            at.count() as u64 == n
                        })
                };
                // A distribution is a sum over its people of point indicators, zero for
                // those who did not rate: where the respondents outside the complete
                // profiles rated nothing, everyone and the complete profiles both reproduce
                // it. Try the complete profiles first, the set a mechanism that publishes
                // distributions with the reading's figures uses.
                let mut cands = candidates(v, g, &responded, reading, parts.get(&key));
                cands.sort_by_key(|c| {
                    if c.name.starts_with("shown groups' sets") {
                        0
                    } else if c.name.ends_with(", complete in the series") {
                        1
                    } else {
                        2
                    }
                });
                let Some(cand) = pick(cands, &fits, &label, &mut notes) else {
                    findings.push(unmodelled(label));
                    continue;
                };
                if small(cand.set.len() as u64) {
                    findings.push(small_figure(format!("{label} (of {})", cand.set.len())));
                }
                if !g.whole {
                    parts
                        .entry(key)
                        .or_default()
                        .extend(cand.set.iter().copied());
                }
                let single = v.stmt_cell[st].filter(|&c| v.cell_size[c] == 1);
                if let Some(counts) = counts.as_mut() {
                    // Who rated a statement alone in its cell is who has that pole score,
                    // which the attacker is granted: its `rated` is known, not learned
                    // (over the complete profiles it is all of them). Modelled as unknown,
                    // it would "reveal" what the attacker holds; so it is left out, and
                    // with it the top point, which it and the others give.
                    let last = v.width() - 3;
                    if single.is_none() {
                        counts.push(
                            format!("{label} [rated]"),
                            cand.set.clone(),
                            rated_form(r, st),
                            rated as f64,
                        );
                    }
                    for &(j, n) in points
                        .iter()
                        .filter(|&&(j, _)| single.is_none() || j != last)
                    {
                        let mut e = vec![Q::ZERO; 2 * ns * v.width()];
                        e[v.slot(r, st, 2 + j)] = Q::ONE;
                        counts.push(
                            format!("{label} [point {j}={n}]"),
                            cand.set.clone(),
                            e,
                            n as f64,
                        );
                    }
                }
                // A one-statement cell's pole is the normalised rating, so the counts give
                // the pole's sum and sum of squares over the distribution's people: the
                // link to the means that a distribution over other people than the
                // reading's figures would break.
                let Some(c) = single else {
                    continue;
                };
                // Over those of its people who rated: a one-statement cell's pole exists
                // exactly for them.
                let raters: Vec<usize> = (cand.set.iter().copied())
                    .filter(|&p| raw(p).is_some())
                    .collect();
                if raters.iter().any(|&p| rating(v, p, r, st).is_none()) {
                    continue;
                }
                let w = f64::from(v.max - v.min);
                let (sum, squares_sum) = points.iter().fold((0.0, 0.0), |(a, b), &(j, n)| {
                    let x = j as f64 / w;
                    (a + x * n as f64, b + x * x * n as f64)
                });
                let mut e = vec![Q::ZERO; NV];
                e[r * 12 + c] = Q::ONE;
                means.push(
                    format!("{label} [sum of points]"),
                    raters.clone(),
                    e.clone(),
                    sum,
                );
                squares.push(
                    format!("{label} [sum of squared points]"),
                    raters,
                    square_form(&e),
                    squares_sum,
                );
            }
            // Withheld one-statement figures beside shown ones.
            if any_shown && with_answers && !g.whole {
                let m = &members[0].1;
                for &c in &withheld_single_cells {
                    if v.cell_size[c] != 1 {
                        continue;
                    }
                    let st = v.stmt_cell.iter().position(|x| *x == Some(c)).unwrap();
                    let resp: Vec<usize> = (0..np).filter(|&p| m[p] && v.responded(p, r)).collect();
                    let would = resp
                        .iter()
                        .filter(|&&p| rating(v, p, r, st).is_some())
                        .count();
                    if small(would as u64) {
                        withheld_single.push((
                            format!(
                                "{} {} pole/rwg {} (withheld)",
                                g.name,
                                SERIES[s],
                                cell_slug(c)
                            ),
                            r,
                            st,
                            resp,
                            would,
                        ));
                    }
                }
            }
        }
    }
    Built {
        means,
        squares,
        counts,
        rwg,
        withheld_single,
        findings,
        notes,
    }
}

// ------------------------------------------------------------------------------------------
// The search
// ------------------------------------------------------------------------------------------

/// A system compressed to atoms and pivot coordinates, eliminated once.
struct Solved {
    sys: LinSystem,
    /// Person -> atom (None: in no row).
    atom_of: Vec<Option<usize>>,
    atoms: Vec<Vec<usize>>,
    /// Pivot coordinates of the per-person forms, and their reduced rows.
    pivots: Vec<usize>,
    reduced: Vec<Vec<Q>>,
    /// Column order: atom -> position (big atoms first), and back.
    order: Vec<usize>,
    by_pos: Vec<usize>,
    basis: Basis,
    rank: usize,
}

impl Solved {
    fn new(sys: LinSystem, np: usize, k: u64) -> Solved {
        let mut sig: Vec<Vec<u32>> = vec![Vec::new(); np];
        for (i, row) in sys.rows.iter().enumerate() {
            for &p in &row.set {
                sig[p].push(i as u32);
            }
        }
        let mut index: HashMap<Vec<u32>, usize> = HashMap::new();
        let mut atoms: Vec<Vec<usize>> = Vec::new();
        let mut atom_of = vec![None; np];
        for p in 0..np {
            if sig[p].is_empty() {
                continue;
            }
            let a = *index.entry(sig[p].clone()).or_insert_with(|| {
                atoms.push(Vec::new());
                atoms.len() - 1
            });
            atoms[a].push(p);
            atom_of[p] = Some(a);
        }
        let (pivots, reduced) = dense_pivots(&sys.forms, sys.d);
        // Big atoms first, then small ones.
        let mut by: Vec<usize> = (0..atoms.len()).collect();
        by.sort_by_key(|&a| ((atoms[a].len() as u64) < k, a));
        let mut order = vec![0; atoms.len()];
        for (pos, &a) in by.iter().enumerate() {
            order[a] = pos;
        }
        let mut s = Solved {
            sys,
            atom_of,
            atoms,
            pivots,
            reduced,
            order,
            by_pos: by,
            basis: Basis::default(),
            rank: 0,
        };
        for i in 0..s.sys.rows.len() {
            let v = s.row_vector(i);
            if s.basis.insert(v, vec![(i as u32, Q::ONE)]) {
                s.rank += 1;
            }
        }
        s
    }

    fn dim(&self) -> usize {
        self.pivots.len()
    }

    fn col(&self, atom: usize, j: usize) -> u32 {
        (self.order[atom] * self.dim() + j) as u32
    }

    fn atom_of_col(&self, col: u32) -> usize {
        self.by_pos[col as usize / self.dim()]
    }

    /// A per-person form (dense) restricted to pivot coordinates, over a set of atoms.
    fn vector(&self, form: &[Q], atoms: &BTreeSet<usize>) -> Sparse {
        let mut v: Sparse = Vec::new();
        for &a in atoms {
            for (j, &c) in self.pivots.iter().enumerate() {
                if !form[c].is_zero() {
                    v.push((self.col(a, j), form[c]));
                }
            }
        }
        v.sort_by_key(|x| x.0);
        v
    }

    fn row_vector(&self, i: usize) -> Sparse {
        let row = &self.sys.rows[i];
        let atoms: BTreeSet<usize> = row.set.iter().filter_map(|&p| self.atom_of[p]).collect();
        self.vector(&self.sys.forms[row.form], &atoms)
    }

    /// If `sum over set of form` is in the row space, the combination of rows giving it.
    fn express(&self, form: &[Q], set: &[usize]) -> Option<Sparse> {
        if !in_dense_span(form, &self.pivots, &self.reduced) {
            return None;
        }
        let mut atoms = BTreeSet::new();
        for &p in set {
            atoms.insert(self.atom_of[p]?);
        }
        // The set must be a union of whole atoms.
        let covered: usize = atoms.iter().map(|&a| self.atoms[a].len()).sum();
        if covered != set.len() {
            return None;
        }
        self.basis.express(self.vector(form, &atoms))
    }

    /// The combination `track` of rows as a per-person functional: person -> dense form.
    fn functional(&self, track: &Sparse) -> BTreeMap<usize, Vec<Q>> {
        let mut out: BTreeMap<usize, Vec<Q>> = BTreeMap::new();
        for &(i, c) in track {
            let row = &self.sys.rows[i as usize];
            let f = &self.sys.forms[row.form];
            for &p in &row.set {
                let e = out.entry(p).or_insert_with(|| vec![Q::ZERO; self.sys.d]);
                for (j, &x) in f.iter().enumerate() {
                    if !x.is_zero() {
                        e[j] = e[j] + c * x;
                    }
                }
            }
        }
        out.retain(|_, f| f.iter().any(|q| !q.is_zero()));
        out
    }
}

/// Describes a witness and checks it.
fn witness(s: &Solved, v: &View, track: &Sparse, kind: FindingKind) -> Finding {
    let truth = |p: usize, j: usize| v.truth(s.sys.system, p, j);
    let f = s.functional(track);
    let people: Vec<usize> = f.keys().copied().collect();
    let mut revealed = Vec::new();
    let mut true_value = Some(0.0);
    for (&p, form) in &f {
        for (j, &c) in form.iter().enumerate() {
            if c.is_zero() {
                continue;
            }
            revealed.push(format!(
                "{}{} x[{}, {}]",
                if c.n >= 0 { "+" } else { "" },
                c,
                v.people[p].id,
                s.sys.var_label(j, &v.statements)
            ));
            true_value = true_value.and_then(|t| Some(t + c.to_f64() * truth(p, j)?));
        }
    }
    let mut derived = 0.0;
    let mut from = Vec::new();
    for &(i, c) in track {
        let row = &s.sys.rows[i as usize];
        derived += c.to_f64() * row.value;
        from.push(format!(
            "{}{} {}",
            if c.n >= 0 { "+" } else { "" },
            c,
            row.label
        ));
    }
    Finding {
        kind,
        people: ids(v, &people),
        revealed: revealed.join(" "),
        from,
        derived: Some(derived),
        truth: true_value,
    }
}

/// Every union of `weights`' items (indices, increasing) whose total weight is at most
/// `cap`, in order of total weight then number of items, at most `budget` of them; and
/// whether that is all of them.
fn unions(weights: &[usize], cap: usize, budget: usize) -> (Vec<Vec<usize>>, bool) {
    let mut out: Vec<(Vec<usize>, usize)> = Vec::new();
    let mut frontier: Vec<(Vec<usize>, usize)> = vec![(Vec::new(), 0)];
    let mut complete = true;
    'levels: while !frontier.is_empty() {
        let mut next = Vec::new();
        for (u, w) in &frontier {
            let start = u.last().map_or(0, |l| l + 1);
            for i in start..weights.len() {
                if w + weights[i] <= cap {
                    if out.len() + next.len() >= budget {
                        complete = false;
                        out.extend(next);
                        break 'levels;
                    }
                    let mut u2 = u.clone();
                    u2.push(i);
                    next.push((u2, w + weights[i]));
                }
            }
        }
        out.extend(next.iter().cloned());
        frontier = next;
    }
    out.sort_by_key(|(u, w)| (*w, u.len()));
    (out.into_iter().map(|(u, _)| u).collect(), complete)
}

/// The findings of one system, and whether it is certified (see [`Audit::certified`]).
fn search(s: &Solved, v: &View, notes: &mut Vec<String>) -> (Vec<Finding>, bool) {
    let kind = FindingKind::Derivable(s.sys.system);
    let k = v.k as usize;
    if k <= 1 {
        return (Vec::new(), true);
    }
    let small_atom = |a: usize| s.atoms[a].len() < k;
    // G: basis rows whose leading column is in a small atom (all big-atom columns are zero).
    let g: Vec<usize> = (0..s.basis.rows.len())
        .filter(|&i| small_atom(s.atom_of_col(s.basis.rows[i][0].0)))
        .collect();
    if g.is_empty() {
        return (Vec::new(), true);
    }
    // The small atoms G touches.
    let mut exposed = BTreeSet::new();
    for &i in &g {
        for &(c, _) in &s.basis.rows[i] {
            exposed.insert(s.atom_of_col(c));
        }
    }
    let mut exposed: Vec<usize> = exposed.into_iter().collect();
    // The exact decision first: is any nonzero element of G supported on atoms of total
    // size k-1 or less?
    let h: Vec<(Sparse, Sparse)> = g
        .iter()
        .map(|&i| (s.basis.rows[i].clone(), s.basis.tracks[i].clone()))
        .collect();
    // Atoms in G's support most often first: excluding them shrinks G fastest.
    let mut touches: HashMap<usize, usize> = HashMap::new();
    for (row, _) in &h {
        let atoms: BTreeSet<usize> = row.iter().map(|&(c, _)| s.atom_of_col(c)).collect();
        for a in atoms {
            *touches.entry(a).or_default() += 1;
        }
    }
    exposed.sort_by_key(|a| (std::cmp::Reverse(touches[a]), *a));
    let mut budget = DECISION_BUDGET;
    let decision = smallest_support(s, h, &exposed, 0, 0, k - 1, &mut Vec::new(), &mut budget);
    let fallback = match decision {
        Ok(None) => return (Vec::new(), true),
        Ok(Some(track)) => Some(track),
        Err(()) => {
            notes.push(format!(
                "{:?}: undecided after {DECISION_BUDGET} steps whether some combination is over fewer than k people",
                s.sys.system
            ));
            None
        }
    };
    // Then the list: every union of small atoms of total size 1..k-1, smallest first.
    exposed.sort();
    let weights: Vec<usize> = exposed.iter().map(|&a| s.atoms[a].len()).collect();
    let (candidates, complete) = unions(&weights, k - 1, SEARCH_BUDGET);
    if !complete {
        notes.push(format!(
            "{:?}: {} small atoms touched; listed findings over only {} of their unions",
            s.sys.system,
            exposed.len(),
            candidates.len()
        ));
    }
    let mut found: Vec<BTreeSet<usize>> = Vec::new();
    let mut out = Vec::new();
    for cand in candidates {
        let t: BTreeSet<usize> = cand.iter().map(|&i| exposed[i]).collect();
        if found.iter().any(|f| f.is_subset(&t)) {
            continue;
        }
        // Re-key: columns of atoms outside T first.
        let dim = s.dim() as u32;
        let big = (s.atoms.len() as u32 + 1) * dim;
        let key = |c: u32| {
            if t.contains(&s.atom_of_col(c)) {
                big + c
            } else {
                c
            }
        };
        // Echelon form of G in that order: the rows led by a column of T are a basis of
        // the part of G supported on T; each is one finding.
        let mut b = Basis::default();
        let mut hits = Vec::new();
        for &i in &g {
            let mut row: Sparse = s.basis.rows[i].iter().map(|&(c, q)| (key(c), q)).collect();
            row.sort_by_key(|x| x.0);
            let (r, tr) = b.reduce(row, s.basis.tracks[i].clone());
            if let Some(&(lead, _)) = r.first() {
                if lead >= big {
                    hits.push(tr.clone());
                }
                b.pivot.insert(lead, b.rows.len());
                b.rows.push(r);
                b.tracks.push(tr);
            }
        }
        if !hits.is_empty() {
            found.push(t);
            out.extend(hits.iter().map(|track| witness(s, v, track, kind)));
        }
    }
    if out.is_empty()
        && let Some(track) = fallback
    {
        out.push(witness(s, v, &track, kind));
    }
    (out, false)
}

/// The most steps of the exact decision per system.
pub const DECISION_BUDGET: usize = 200_000;

/// `h` with every element's part on atom `a` forced to zero: the rows of an echelon form
/// (atom `a`'s columns first) that are led by another atom's column.
fn exclude(s: &Solved, h: &[(Sparse, Sparse)], a: usize) -> Vec<(Sparse, Sparse)> {
    const BIG: u32 = 1 << 31;
    let key = |c: u32| if s.atom_of_col(c) == a { c } else { BIG + c };
    let mut b = Basis::default();
    for (row, track) in h {
        let mut r: Sparse = row.iter().map(|&(c, q)| (key(c), q)).collect();
        r.sort_by_key(|x| x.0);
        b.insert(r, track.clone());
    }
    b.rows
        .into_iter()
        .zip(b.tracks)
        .filter(|(r, _)| r[0].0 >= BIG)
        .map(|(r, t)| (r.into_iter().map(|(c, q)| (c - BIG, q)).collect(), t))
        .collect()
}

/// Exact search, by branching on each atom of `atoms[i..]` (excluded: forced to zero, or
/// allowed: counted against `cap`), for a nonzero element of `h` supported on allowed atoms
/// of total size at most `cap`. Returns the combination of published rows that gives one
/// (inclusion-minimal), `None` if there is none, `Err` past the budget.
#[allow(clippy::too_many_arguments)]
fn smallest_support(
    s: &Solved,
    h: Vec<(Sparse, Sparse)>,
    atoms: &[usize],
    i: usize,
    weight: usize,
    cap: usize,
    allowed: &mut Vec<usize>,
    budget: &mut usize,
) -> Result<Option<Sparse>, ()> {
    if h.is_empty() {
        return Ok(None);
    }
    if *budget == 0 {
        return Err(());
    }
    *budget -= 1;
    if i == atoms.len() {
        // Every element of h is supported on the allowed atoms; make it minimal.
        let mut h = h;
        for &a in allowed.iter() {
            let h2 = exclude(s, &h, a);
            if !h2.is_empty() {
                h = h2;
            }
        }
        return Ok(Some(h[0].1.clone()));
    }
    let a = atoms[i];
    let excluded = exclude(s, &h, a);
    if let Some(w) = smallest_support(s, excluded, atoms, i + 1, weight, cap, allowed, budget)? {
        return Ok(Some(w));
    }
    let size = s.atoms[a].len();
    if weight + size <= cap {
        allowed.push(a);
        let r = smallest_support(s, h, atoms, i + 1, weight + size, cap, allowed, budget);
        allowed.pop();
        return r;
    }
    Ok(None)
}

/// The auditor of one report: its three systems, solved once, to [`audit`](Auditor::audit)
/// and to ask about particular functionals ([`derive`](Auditor::derive)).
pub struct Auditor<'a> {
    view: View<'a>,
    means: Solved,
    squares: Solved,
    counts: Option<Solved>,
    audit: Audit,
}

impl<'a> Auditor<'a> {
    /// Models the report against its ground truth and runs every check.
    ///
    /// # Errors
    ///
    /// If the report lacks a part of the format the auditor needs.
    pub fn new(people: &'a [Person], report: &'a Value) -> Result<Auditor<'a>, String> {
        let view = parse(people, report)?;
        let v = &view;
        let np = people.len();
        let Built {
            means,
            mut squares,
            counts,
            rwg,
            withheld_single,
            mut findings,
            mut notes,
        } = build(v);
        let mut ranks = Vec::new();
        let mut certified = Vec::new();
        let mut run = |s: &Solved, findings: &mut Vec<Finding>, notes: &mut Vec<String>| {
            let (f, ok) = search(s, v, notes);
            findings.extend(f);
            if ok {
                certified.push(s.sys.system);
            }
        };

        let means = Solved::new(means, np, v.k);
        ranks.push((System::Means, means.sys.rows.len(), means.rank));
        run(&means, &mut findings, &mut notes);
        // r_wg of one-statement cells completes a sum of squares where the sum is derivable.
        for fact in &rwg {
            let mut e = vec![Q::ZERO; NV];
            e[fact.reading * 12 + fact.cell] = Q::ONE;
            let Some(track) = means.express(&e, &fact.set) else {
                continue;
            };
            let rows = &means.sys.rows;
            let sum: f64 = track
                .iter()
                .map(|&(i, c)| c.to_f64() * rows[i as usize].value)
                .sum();
            let n = fact.set.len() as f64;
            let w = f64::from(v.max - v.min);
            let from: Vec<String> = track
                .iter()
                .map(|&(i, c)| format!("{c} * {}", rows[i as usize].label))
                .collect();
            squares.push(
                format!(
                    "{} with the sum from [{}] [sum of squares]",
                    fact.label,
                    from.join(", ")
                ),
                fact.set.clone(),
                square_form(&e),
                (n - 1.0) * fact.variance / (w * w) + sum * sum / n,
            );
        }
        let squares = Solved::new(squares, np, v.k);
        ranks.push((System::SumsOfSquares, squares.sys.rows.len(), squares.rank));
        run(&squares, &mut findings, &mut notes);
        let counts = counts.map(|c| Solved::new(c, np, v.k));
        if let Some(counts) = &counts {
            ranks.push((System::AnswerCounts, counts.sys.rows.len(), counts.rank));
            run(counts, &mut findings, &mut notes);
            for (label, r, st, resp, would) in &withheld_single {
                let e = v.rated_form()(*r, *st);
                if let Some(track) = counts.express(&e, resp) {
                    let mut f = witness(counts, v, &track, FindingKind::WithheldSize);
                    f.revealed = format!("{label}: n = {would}, from the count {}", f.revealed);
                    f.people = ids(
                        v,
                        &resp
                            .iter()
                            .copied()
                            .filter(|&p| rating(v, p, *r, *st).is_some())
                            .collect::<Vec<_>>(),
                    );
                    findings.push(f);
                }
            }
        }
        Ok(Auditor {
            view,
            means,
            squares,
            counts,
            audit: Audit {
                findings,
                notes,
                ranks,
                certified,
            },
        })
    }

    /// The findings.
    pub fn audit(&self) -> &Audit {
        &self.audit
    }

    /// Whether the report gives `sum over people of sum of coefficient * unknown` exactly,
    /// and if so how: unknowns named as findings name them (`current pole
    /// purpose.people.relational` in the means system, `(current pole ...)^2` or `(...)*(...)`
    /// in the sums of squares, `current purpose.people.relational.1 rated` in the counts).
    /// `None` also when a name or a person is unknown.
    pub fn derive(&self, system: System, people: &[&str], terms: &[(&str, Q)]) -> Option<Finding> {
        let s = match system {
            System::Means => &self.means,
            System::SumsOfSquares => &self.squares,
            System::AnswerCounts => self.counts.as_ref()?,
        };
        let v = &self.view;
        let mut form = vec![Q::ZERO; s.sys.d];
        for (name, c) in terms {
            // `rated` in the counts is the sum of the point indicators.
            if system == System::AnswerCounts
                && let Some(stem) = name.strip_suffix(" rated")
            {
                let points: Vec<usize> = (0..s.sys.d)
                    .filter(|&j| {
                        (s.sys.var_label(j, &v.statements))
                            .strip_prefix(stem)
                            .is_some_and(|rest| rest.starts_with(" point "))
                    })
                    .collect();
                if points.is_empty() {
                    return None;
                }
                for j in points {
                    form[j] = form[j] + *c;
                }
                continue;
            }
            let j = (0..s.sys.d).find(|&j| {
                let label = s.sys.var_label(j, &v.statements);
                // Monomials are stored with i <= j only.
                label == *name && (system != System::SumsOfSquares || j / NV <= j % NV)
            })?;
            form[j] = form[j] + *c;
        }
        let set: Vec<usize> = people
            .iter()
            .map(|id| v.people.iter().position(|p| p.id == *id))
            .collect::<Option<_>>()?;
        let track = s.express(&form, &set)?;
        Some(witness(s, v, &track, FindingKind::Derivable(system)))
    }
}

/// Audits a report against its ground truth (see the module docs).
pub fn audit(people: &[Person], report: &Value) -> Audit {
    match Auditor::new(people, report) {
        Ok(a) => a.audit,
        Err(e) => Audit {
            findings: vec![Finding {
                kind: FindingKind::Unmodelled,
                people: Vec::new(),
                revealed: format!("report not understood: {e}"),
                from: Vec::new(),
                derived: None,
                truth: None,
            }],
            ..Audit::default()
        },
    }
}
