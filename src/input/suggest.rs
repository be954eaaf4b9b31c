//! "Did you mean": the known names closest to a misspelt one, for every parser and lookup.
//!
//! The cost of one lookup is bounded whatever the file holds: a name can only be close to names
//! of about its own length, so the others are dropped by length before any comparison; at most
//! [`MAX_COMPARED`] names are compared in full, each with a distance computation that stops as
//! soon as the name cannot be close enough; and a name longer than [`MAX_NAME_CHARS`] gets no
//! suggestion at all. A parser that finds thousands of unknown names also stops asking once it
//! has more errors than it reports (see `Collector` in `diagnostic.rs`).

/// A known name is suggested when its similarity (1 minus the edit distance over the longer
/// length) is at least this.
const MIN_SCORE_TENTHS: usize = 7;

/// Names kept are at most this much less similar than the best one.
const NEAR_BEST: f64 = 0.08;

/// Longer names get no suggestion: nobody mistypes a name of this length by a letter or two,
/// and comparing it costs time in proportion to its length.
pub const MAX_NAME_CHARS: usize = 256;

/// At most this many known names (those closest in length) are compared with one name.
pub const MAX_COMPARED: usize = 2_000;

/// Up to three known names close to `name`, best first ("did you mean"). Only names about as
/// close as the best one are kept, so a long shared prefix ("Outbound - Can ") alone does not
/// make a suggestion.
pub fn suggest<'a>(name: &str, known: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    // Bytes bound characters from above (and from below by a quarter), so very long names are
    // refused before they are even scanned.
    if name.len() > 4 * MAX_NAME_CHARS {
        return Vec::new();
    }
    let query: Vec<char> = name.to_lowercase().chars().collect();
    if query.len() > MAX_NAME_CHARS {
        return Vec::new();
    }
    let mut candidates = close_in_length(query.len(), known);
    if candidates.len() > MAX_COMPARED {
        candidates.select_nth_unstable_by_key(MAX_COMPARED, |c| (c.0, c.1));
        candidates.truncate(MAX_COMPARED);
    }
    let mut scored: Vec<(f64, &str)> = Vec::new();
    let mut scratch = Scratch::default();
    let mut letters = Letters::of(&query);
    for (_, _, k) in candidates {
        let mut other = std::mem::take(&mut scratch.other);
        other.clear();
        other.extend(k.chars().flat_map(char::to_lowercase));
        let longest = query.len().max(other.len());
        let limit = max_distance(longest);
        if longest == 0 {
            scored.push((1.0, k));
        } else if letters
            .as_mut()
            .is_some_and(|l| l.lower_bound(&other) > limit)
        {
            // Too many letters of one name are missing from the other.
        } else if let Some(d) = scratch.distance_within(&query, &other, limit) {
            scored.push((1.0 - d as f64 / longest as f64, k));
        }
        scratch.other = other;
    }
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    let best = scored.first().map_or(0.0, |s| s.0);
    scored
        .into_iter()
        .take_while(|(score, _)| best - score <= NEAR_BEST)
        .take(3)
        .map(|(_, k)| k)
        .collect()
}

/// The largest edit distance that still scores [`MIN_SCORE_TENTHS`] between names whose longer
/// one has `longest` characters: `d / longest <= 0.3`, in integers.
fn max_distance(longest: usize) -> usize {
    longest * (10 - MIN_SCORE_TENTHS) / 10
}

/// The known names whose length allows a close enough score, with their length difference and
/// their order (for a deterministic choice among equals).
fn close_in_length<'a>(
    query_chars: usize,
    known: impl Iterator<Item = &'a str>,
) -> Vec<(usize, usize, &'a str)> {
    let mut out = Vec::new();
    for (order, k) in known.enumerate() {
        // A name of more than 4x the query's longest close length in bytes has too many
        // characters too; skip it without counting them.
        if k.len() > 4 * (query_chars * 10 / MIN_SCORE_TENTHS + 1) {
            continue;
        }
        let chars = k.chars().count();
        let diff = chars.abs_diff(query_chars);
        // Every edit changes the length by at most one, so the length difference bounds the
        // distance from below.
        if diff <= max_distance(chars.max(query_chars)) {
            out.push((diff, order, k));
        }
    }
    out
}

/// The letters of an ASCII name, counted: a cheap lower bound of its distance to another name.
struct Letters {
    counts: [i32; 128],
}

impl Letters {
    /// `None` for a name with non-ASCII letters (no bound is computed for those).
    fn of(name: &[char]) -> Option<Letters> {
        let mut counts = [0; 128];
        for &c in name {
            *counts.get_mut(c as usize)? += 1;
        }
        Some(Letters { counts })
    }

    /// The larger of the letters this name has that `other` lacks and the other way round,
    /// counted with repeats: every edit fixes at most one of each, so the distance is at least
    /// this. 0 when `other` is not ASCII.
    fn lower_bound(&mut self, other: &[char]) -> usize {
        if !other.iter().all(char::is_ascii) {
            return 0;
        }
        for &c in other {
            self.counts[c as usize] -= 1;
        }
        let (mut mine, mut theirs) = (0, 0);
        for &n in &self.counts {
            if n > 0 {
                mine += n as usize;
            } else {
                theirs += (-n) as usize;
            }
        }
        for &c in other {
            self.counts[c as usize] += 1;
        }
        mine.max(theirs)
    }
}

/// The optimal-string-alignment distance (insertions, deletions, substitutions and swaps of
/// neighbours) between `a` and `b` when it is at most `limit`, `None` otherwise.
#[cfg(test)]
fn distance_within(a: &[char], b: &[char], limit: usize) -> Option<usize> {
    Scratch::default().distance_within(a, b, limit)
}

/// Buffers reused from one comparison to the next.
#[derive(Default)]
struct Scratch {
    other: Vec<char>,
    rows: [Vec<usize>; 3],
}

impl Scratch {
    /// [`distance_within`]: only the diagonal band of width `2 * limit + 1` is computed, and a
    /// row whose every cell is over the limit ends the computation.
    fn distance_within(&mut self, a: &[char], b: &[char], limit: usize) -> Option<usize> {
        let (n, m) = (a.len(), b.len());
        if n.abs_diff(m) > limit {
            return None;
        }
        // Above any distance, and safe to add one to.
        const FAR: usize = usize::MAX / 2;
        let [before, prev, cur] = &mut self.rows;
        before.clear();
        before.resize(m + 1, FAR);
        prev.clear();
        prev.extend((0..=m).map(|j| if j <= limit { j } else { FAR }));
        cur.clear();
        cur.resize(m + 1, FAR);
        for i in 1..=n {
            cur.fill(FAR);
            cur[0] = if i <= limit { i } else { FAR };
            let mut row_min = cur[0];
            let from = i.saturating_sub(limit).max(1);
            let to = (i + limit).min(m);
            for j in from..=to {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let mut v = (prev[j - 1] + cost).min(prev[j] + 1).min(cur[j - 1] + 1);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    v = v.min(before[j - 2] + 1);
                }
                cur[j] = v;
                row_min = row_min.min(v);
            }
            if row_min > limit {
                return None;
            }
            std::mem::swap(before, prev);
            std::mem::swap(prev, cur);
        }
        (prev[m] <= limit).then_some(prev[m])
    }
}

/// `" (did you mean \"x\"?)"`, or nothing when there is no close name.
pub fn did_you_mean(suggestions: &[&str]) -> String {
    match suggestions {
        [] => String::new(),
        [one] => format!(" (did you mean \"{one}\"?)"),
        many => format!(
            " (did you mean {}?)",
            many.iter()
                .map(|s| format!("\"{s}\""))
                .collect::<Vec<_>>()
                .join(" or ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn close_names_are_suggested_best_first() {
        let known = [
            "Outbound - Can Reschedule",
            "Outbound - Can Reject Record",
            "dial",
        ];
        assert_eq!(
            suggest("Outbound - Can Rescedule", known.iter().copied()),
            vec!["Outbound - Can Reschedule"]
        );
        assert_eq!(suggest("DAIL", known.iter().copied()), vec!["dial"]);
        assert!(suggest("something else", known.iter().copied()).is_empty());
        assert!(suggest("", known.iter().copied()).is_empty());
    }

    #[test]
    fn the_banded_distance_agrees_with_the_full_one() {
        let words = [
            "", "a", "ab", "ba", "abc", "acb", "kitten", "sitting", "Saturday", "Sunday", "José",
            "jose", "ca", "abc def", "abcdef",
        ];
        for a in words {
            for b in words {
                let full = strsim::osa_distance(a, b);
                for limit in 0..8 {
                    let got = distance_within(&chars(a), &chars(b), limit);
                    let want = (full <= limit).then_some(full);
                    assert_eq!(got, want, "{a:?} {b:?} limit {limit}");
                }
            }
        }
    }

    #[test]
    fn the_letter_bound_never_exceeds_the_distance() {
        let words = [
            "",
            "a",
            "abc",
            "cab",
            "kitten",
            "sitting",
            "outbound - can rejct",
            "aaab",
        ];
        for a in words {
            for b in words {
                let mut letters = Letters::of(&chars(a)).unwrap();
                let bound = letters.lower_bound(&chars(b));
                assert!(bound <= strsim::osa_distance(a, b), "{a:?} {b:?}");
                // The counts are restored for the next name.
                assert_eq!(letters.counts, Letters::of(&chars(a)).unwrap().counts);
            }
        }
    }

    #[test]
    fn a_huge_name_gets_no_suggestion_and_costs_no_comparison() {
        let huge = "a".repeat(MAX_NAME_CHARS + 1);
        let known = ["a".repeat(MAX_NAME_CHARS + 1)];
        assert!(suggest(&huge, known.iter().map(String::as_str)).is_empty());
        let very_huge = "x".repeat(15_000_000);
        assert!(suggest(&very_huge, ["x"].into_iter()).is_empty());
    }

    #[test]
    fn names_of_a_far_length_are_dropped_before_comparing() {
        let got = close_in_length(
            10,
            ["abcdefghij", "abc", "abcdefghijklmnopqrstuvwxyz"].into_iter(),
        );
        assert_eq!(
            got.iter().map(|c| c.2).collect::<Vec<_>>(),
            vec!["abcdefghij"]
        );
    }

    #[test]
    fn many_equally_long_names_are_compared_at_most_max_compared_times() {
        // All 10,000 names have the query's length; the one that matches comes first in
        // length order only by its position, so it is found among the compared ones.
        let names: Vec<String> = (0..10_000).map(|i| format!("Role {i:06}")).collect();
        let got = suggest("Role 000001", names.iter().map(String::as_str));
        assert!(got.contains(&"Role 000001"), "{got:?}");
    }
}
