//! "Did you mean": the known names closest to a misspelt one, for every parser and lookup.

/// Up to three known names close to `name`, best first ("did you mean"). Only names about as
/// close as the best one are kept, so a long shared prefix ("Outbound - Can ") alone does not
/// make a suggestion.
pub fn suggest<'a>(name: &str, known: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let lowered = name.to_lowercase();
    let mut scored: Vec<(f64, &str)> = known
        .map(|k| {
            let score = strsim::normalized_damerau_levenshtein(&lowered, &k.to_lowercase());
            (score, k)
        })
        .filter(|(score, _)| *score >= 0.7)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    let best = scored.first().map_or(0.0, |s| s.0);
    scored
        .into_iter()
        .take_while(|(score, _)| best - score <= 0.08)
        .take(3)
        .map(|(_, k)| k)
        .collect()
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
