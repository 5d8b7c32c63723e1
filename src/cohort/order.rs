//! [`Order`]: what a builder may assume about the order its responses come in.

use std::cmp::Ordering;

/// The order in which a [`CohortBuilder`](crate::CohortBuilder) is given its responses.
///
/// With [`Order::Any`] a builder must remember every respondent until it finishes, since a
/// respondent's other reading, or a duplicate, may come at any point. A file sorted by
/// respondent needs no such memory: [`Order::Respondent`] keeps only the respondent being
/// read, so memory stays constant however long the file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Order {
    /// Any order (the default): each respondent costs a few bytes until the builder
    /// finishes (see [`CohortBuilder`](crate::CohortBuilder)).
    #[default]
    Any,
    /// Sorted by respondent: a respondent's responses come together, and respondents come
    /// in ascending order of their ids, either as text (byte by byte, as `LC_ALL=C sort`
    /// and SQL's `ORDER BY` in a binary collation give them: `r1, r10, r2`) or in natural
    /// order (runs of digits compared as numbers: `r1, r2, r10`), one of the two
    /// throughout. A file sorted by a locale's or a case-insensitive collation may be in
    /// neither, and is refused, never misread.
    ///
    /// Memory is then constant. A respondent who comes back after another is not in that
    /// order, and is refused ([`CohortError::OutOfOrder`](crate::cohort::CohortError::OutOfOrder)):
    /// that is how duplicates are still found without remembering anyone.
    Respondent,
}

/// The orders a run of ids can keep: text (bytes) and natural.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Rule {
    Text,
    Natural,
}

impl Rule {
    pub(crate) const ALL: [Rule; 2] = [Rule::Text, Rule::Natural];

    /// Whether `previous` comes strictly before `next` by this rule.
    pub(crate) fn ascends(self, previous: &str, next: &str) -> bool {
        let ordering = match self {
            Rule::Text => previous.as_bytes().cmp(next.as_bytes()),
            Rule::Natural => natural(previous.as_bytes(), next.as_bytes()),
        };
        ordering == Ordering::Less
    }
}

/// Natural order: runs of ASCII digits compare as the numbers they write (leading zeros
/// aside), every other byte as itself; where that ties (`r01` and `r1`), the bytes decide,
/// so that this is a total order on ids.
///
/// A digit run sorts where its first digit's byte would: against any other byte, every
/// digit compares alike, so runs form one block among the bytes and the order is total.
pub(crate) fn natural(a: &[u8], b: &[u8]) -> Ordering {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        if x.is_ascii_digit() && y.is_ascii_digit() {
            let (run_a, next_i) = digits(a, i);
            let (run_b, next_j) = digits(b, j);
            let by_value = run_a.len().cmp(&run_b.len()).then_with(|| run_a.cmp(run_b));
            if by_value != Ordering::Equal {
                return by_value;
            }
            (i, j) = (next_i, next_j);
        } else if x != y {
            return x.cmp(&y);
        } else {
            (i, j) = (i + 1, j + 1);
        }
    }
    let by_tokens = (a.len() - i).cmp(&(b.len() - j));
    by_tokens.then_with(|| a.cmp(b))
}

/// The digit run starting at `at`, without its leading zeros, and where the run ends.
fn digits(s: &[u8], at: usize) -> (&[u8], usize) {
    let end = at + s[at..].iter().take_while(|c| c.is_ascii_digit()).count();
    let run = &s[at..end];
    let zeros = run.iter().take_while(|&&c| c == b'0').count();
    (&run[zeros..], end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn natural_order_reads_numbers_as_numbers() {
        let sorted = [
            "", "1", "2", "9", "10", "10a", "r", "r01", "r1", "r2", "r9", "r10", "r10x",
        ];
        for (k, a) in sorted.iter().enumerate() {
            for (l, b) in sorted.iter().enumerate() {
                assert_eq!(
                    natural(a.as_bytes(), b.as_bytes()),
                    k.cmp(&l),
                    "{a} against {b}"
                );
            }
        }
        assert!(Rule::Text.ascends("r10", "r2"));
        assert!(!Rule::Natural.ascends("r10", "r2"));
        assert!(Rule::Natural.ascends("r2", "r10"));
        assert!(!Rule::Text.ascends("r2", "r2"));
        assert!(!Rule::Natural.ascends("r2", "r2"));
    }

    fn id() -> impl Strategy<Value = String> {
        "[0-9a-c]{0,6}"
    }

    proptest! {
        /// A total order: antisymmetric, equal only for equal ids, and transitive.
        #[test]
        fn natural_order_is_total(a in id(), b in id(), c in id()) {
            let (a, b, c) = (a.as_bytes(), b.as_bytes(), c.as_bytes());
            prop_assert_eq!(natural(a, b), natural(b, a).reverse());
            prop_assert_eq!(natural(a, b) == Ordering::Equal, a == b);
            if natural(a, b) != Ordering::Greater && natural(b, c) != Ordering::Greater {
                prop_assert_ne!(natural(a, c), Ordering::Greater);
            }
        }
    }
}
