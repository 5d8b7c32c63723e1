//! Memory of a builder told `Order::Respondent`: constant in the number of respondents,
//! where any order costs bytes per respondent. Measured by a counting allocator: the peak
//! of live bytes is deterministic, unlike time.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use living_well::cohort::Order;
use living_well::{CohortBuilder, Definition, Disclosure, Reading, Scorer};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
/// One measurement at a time: the test harness runs tests on several threads.
static ONE: Mutex<()> = Mutex::new(());

// SAFETY: every call is passed to the system allocator unchanged; only counts are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(live, Ordering::Relaxed);
        // SAFETY: as the caller's contract for `alloc`.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: as the caller's contract for `dealloc`.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

/// Peak live bytes while `respondents` respondents (a current reading each, a desired one
/// for every third) are tallied and summarised, above what was live before.
fn peak(order: Order, respondents: u64) -> usize {
    let _one = ONE.lock().unwrap_or_else(|e| e.into_inner());
    let scorer = Scorer::new(Definition::living_well());
    let width = scorer.definition().statements().len();
    let mut builder = CohortBuilder::new(scorer).with_order(order).unwrap();
    let groups = ["clinician", "lived experience", "manager"];
    let mut codes = vec![0u8; width];
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let mut line = 1;
    for r in 0..respondents {
        let id = format!("id{r:08}");
        let group = Some(groups[(r % 3) as usize]);
        for (k, c) in codes.iter_mut().enumerate() {
            *c = ((r as usize + k) % 5) as u8;
        }
        line += 1;
        builder
            .add_codes(line, &id, group, Reading::Current, &codes)
            .unwrap();
        if r % 3 == 0 {
            line += 1;
            builder
                .add_codes(line, &id, group, Reading::Desired, &codes)
                .unwrap();
        }
    }
    let summary = builder.finish().unwrap().summarise(&Disclosure::new(5));
    assert_eq!(
        summary.all().respondents(),
        living_well::Disclosed::Shown(respondents)
    );
    PEAK.load(Ordering::Relaxed) - before
}

#[test]
fn sorted_by_respondent_memory_does_not_grow_with_respondents() {
    let (small, large) = (2_000, 60_000);
    let (s_small, s_large) = (
        peak(Order::Respondent, small),
        peak(Order::Respondent, large),
    );
    let (a_small, a_large) = (peak(Order::Any, small), peak(Order::Any, large));
    eprintln!(
        "peak bytes, {small} and {large} respondents: sorted {s_small}, {s_large}; any order {a_small}, {a_large}"
    );
    let grows = s_large.saturating_sub(s_small);
    // Constant: what grows is only allocator noise, far below a byte a respondent.
    assert!(
        grows < 16 * 1024,
        "sorted: {grows} bytes more for {} more respondents",
        large - small
    );
    // Any order keeps a key and packed poles per response: the measure can tell.
    let any = a_large.saturating_sub(a_small);
    assert!(
        any > 20 * (large - small) as usize,
        "any order: {any} bytes more"
    );
}
