//! The whole-line patterns of a rule file in a few automata, so each line is scanned
//! once per pass instead of once per rule: one for the patterns anchored at the line
//! start, whose scan stops as soon as none of them can match, and one for the others,
//! which must see the whole line. (In one automaton, every step of the whole-line scan
//! would also try each anchored pattern: a new DFA state then costs many times more.)
//! Patterns with a Unicode word boundary (`\b`) get automata of their own: the lazy DFA
//! gives up on them at the first non-ASCII byte, and the slower fallback should answer
//! only for them, not for every pattern of the file. So do anchored patterns that may
//! open with a run of any characters (`opens_wide`): the others give up on most lines
//! within a few bytes, but with such a pattern beside them, every line is read that
//! far with all their states multiplied by its run's. And the unanchored patterns that
//! count such a run (`counts_wide`) share one apart from the other unanchored ones, for
//! the same reason: on the dev pages, the states of the default rules' automata fell
//! from 56 MB to 30 MB with both splits.
//!
//! A pattern that may match anywhere in a line but must start with one of a few rare
//! bytes (`FirstBytes::is_rare`: no letters or digits) gets an automaton of its own,
//! which a byte search spares every line without those bytes. At most `MAX_GATED`
//! do: each automaton is one more pass over the lines that hold its bytes.
//!
//! The set only answers which patterns match a line, so it is built from the parsed
//! patterns straight into a forward lazy DFA: no capture groups, no reverse automaton,
//! none of the engines a `RegexSet` builds to report where a match is.

use super::pattern::{FirstBytes, Matcher, counts_wide, opens_wide, starts_anchored};
use super::{Action, Rule};
use crate::document::Document;
use regex_automata::nfa::thompson::{self, WhichCaptures, pikevm::PikeVM};
use regex_automata::util::pool::Pool;
use regex_automata::{Input, MatchKind, PatternSet, hybrid};
use regex_syntax::hir::Hir;
use std::sync::Arc;

/// Size limit of the combined automaton: generous, it is built once per rule file.
const SET_LIMIT: usize = 256 << 20;
/// Patterns with rare first bytes that get an automaton of their own.
const MAX_GATED: usize = 8;
/// Its lazy DFA cache (per thread): large enough that the cache rarely resets, small
/// enough that memory stays flat. The default rules' anchored automaton fills about
/// 23 MB on the 990 dev pages (44 MB while the patterns that open wide were in it); a
/// reset rebuilds every state in use again, so a cache that is too small costs on every
/// page of a long run (at 32 MB the 44 MB automaton ran at half speed). `cargo bench
/// --bench pipeline` prints the resets.
const CACHE_LIMIT: usize = 64 << 20;

#[derive(Debug, Default)]
pub struct LineSet {
    /// None when a group's automaton could not be built.
    engines: Option<Vec<Engine>>,
    /// Per rule given to `new`: the set indices of its line pattern and, for
    /// `drop_between`, of its end pattern.
    slots: Vec<[Option<usize>; 2]>,
    len: usize,
}

type NewCaches = Box<dyn Fn() -> Caches + Send + Sync>;

#[derive(Debug)]
struct Engine {
    /// The set index of each of its patterns.
    ids: Vec<usize>,
    /// The most words a line may have for any of its rules to take it (None: no
    /// limit): longer lines are not scanned.
    max_words: Option<usize>,
    /// For the one pattern of a gated automaton, the bytes its matches start with: a
    /// line holding none of them is not scanned.
    first: Option<FirstBytes>,
    dfa: hybrid::dfa::DFA,
    /// Answers a line the lazy DFA gives up on: it quits at a non-ASCII byte when a
    /// pattern has a Unicode word boundary.
    pikevm: PikeVM,
    caches: Pool<Caches, NewCaches>,
}

#[derive(Debug)]
struct Caches {
    dfa: hybrid::dfa::Cache,
    pikevm: thompson::pikevm::Cache,
}

impl Engine {
    fn new(
        ids: Vec<usize>,
        hirs: &[&Hir],
        max_words: Option<usize>,
        first: Option<FirstBytes>,
    ) -> Option<Self> {
        let nfa = thompson::Compiler::new()
            .configure(
                thompson::Config::new()
                    .which_captures(WhichCaptures::None)
                    .nfa_size_limit(Some(SET_LIMIT)),
            )
            .build_many_from_hir(hirs)
            .ok()?;
        let dfa = hybrid::dfa::Builder::new()
            .configure(
                hybrid::dfa::Config::new()
                    .match_kind(MatchKind::All)
                    .unicode_word_boundary(true)
                    .cache_capacity(CACHE_LIMIT),
            )
            .build_from_nfa(nfa.clone())
            .ok()?;
        let pikevm = PikeVM::builder()
            .configure(PikeVM::config().match_kind(MatchKind::All))
            .build_from_nfa(nfa)
            .ok()?;
        let (d, p) = (dfa.clone(), pikevm.clone());
        let new: NewCaches = Box::new(move || Caches {
            dfa: d.create_cache(),
            pikevm: p.create_cache(),
        });
        Some(Engine {
            ids,
            max_words,
            first,
            dfa,
            pikevm,
            caches: Pool::new(new),
        })
    }
}

impl LineSet {
    pub fn new<'r>(rules: &'r [Arc<Rule>]) -> Self {
        let mut pats: Vec<&'r Matcher> = Vec::new();
        // Per pattern, its rule's word limit.
        let mut limits: Vec<Option<usize>> = Vec::new();
        let slots = rules
            .iter()
            .map(|r| {
                let mut add = |m: &'r Matcher| {
                    pats.push(m);
                    limits.push(r.max_words);
                    Some(pats.len() - 1)
                };
                match &r.action {
                    Action::Drop(m) | Action::CutAfter(m) | Action::CutBefore(m) => [add(m), None],
                    // An end that takes any line runs its own regex (`takes_any_line`).
                    Action::DropBetween(s, e) => [
                        add(s),
                        (e.takes_any_line() != Ok(true)).then(|| add(e)).flatten(),
                    ],
                    Action::Strip(_) | Action::Replace(..) => [None, None],
                }
            })
            .collect();
        // Every pattern parsed on its own, so the automata compile too unless one
        // outgrows the limit; then rules fall back to their own regexes.
        let hirs: Vec<&Hir> = pats.iter().map(|m| m.hir()).collect();
        // Four groups: anchored or not, each with and without a Unicode `\b`; a fifth
        // for anchored patterns that open wide, a sixth for unanchored ones that count a
        // wide run; and up to `MAX_GATED` patterns with rare first bytes, each alone
        // (only unanchored patterns have first bytes).
        let mut groups: Vec<(Vec<usize>, Option<FirstBytes>)> = vec![(Vec::new(), None); 6];
        for (k, m) in pats.iter().enumerate() {
            if let Some(first) = m.first_bytes().filter(|f| f.is_rare())
                && groups.len() < 6 + MAX_GATED
            {
                groups.push((vec![k], Some(first.clone())));
                continue;
            }
            let anchored = starts_anchored(hirs[k]);
            let unicode_word = hirs[k].properties().look_set().contains_word_unicode();
            // A pattern with a Unicode `\b` stays in its own group: it already sits
            // apart from the others, and beside it they would lose the lazy DFA on
            // every non-ASCII line.
            let group = if unicode_word {
                usize::from(!anchored) + 2
            } else if anchored && opens_wide(hirs[k]) {
                4
            } else if !anchored && counts_wide(hirs[k]) {
                5
            } else {
                usize::from(!anchored)
            };
            groups[group].0.push(k);
        }
        let engines = groups
            .into_iter()
            .filter(|(ids, _)| !ids.is_empty())
            .map(|(ids, first)| {
                let group: Vec<&Hir> = ids.iter().map(|&k| hirs[k]).collect();
                // The engine skips what `apply` would turn away by `max_words` anyway.
                let max_words = ids.iter().try_fold(0, |m, &k| Some(limits[k]?.max(m)));
                Engine::new(ids, &group, max_words, first)
            })
            .collect();
        LineSet {
            engines,
            slots,
            len: hirs.len(),
        }
    }

    /// False when there were patterns but their set could not be built: rules then
    /// run their own regexes.
    pub fn built(&self) -> bool {
        self.engines.is_some()
    }

    /// Which live lines of `doc` each pattern matches. Lines longer than every rule of
    /// an automaton allows (`max_words`) are left out: `apply` would not take them.
    pub fn scan(&self, doc: &Document) -> Hits {
        let Some(engines) = &self.engines else {
            return Hits { by_pattern: None };
        };
        let mut by_pattern = vec![Vec::new(); self.len];
        for e in engines {
            let mut caches = e.caches.get();
            let Caches { dfa, pikevm } = &mut *caches;
            let mut matched = PatternSet::new(e.ids.len());
            for (i, line) in doc.lines.iter().enumerate() {
                if !line.is_live() || e.max_words.is_some_and(|m| line.words() > m) {
                    continue;
                }
                // A gated automaton reads from the first byte a match can start with.
                let Some(from) = e.first.as_ref().map_or(Some(0), |f| f.start_in(line.key()))
                else {
                    continue;
                };
                // Most lines match nothing: a plain search says so faster than the
                // overlapping one that names the patterns.
                let input = Input::new(line.key()).range(from..).earliest(true);
                if let Ok(None) = e.dfa.try_search_fwd(dfa, &input) {
                    continue;
                }
                let input = Input::new(line.key()).range(from..);
                if e.dfa
                    .try_which_overlapping_matches(dfa, &input, &mut matched)
                    .is_err()
                {
                    matched.clear();
                    e.pikevm
                        .which_overlapping_matches(pikevm, &input, &mut matched);
                }
                if !matched.is_empty() {
                    for p in matched.iter() {
                        by_pattern[e.ids[p.as_usize()]].push(i as u32);
                    }
                    matched.clear();
                }
            }
        }
        Hits {
            by_pattern: Some(by_pattern),
        }
    }

    /// How often this thread's lazy DFA caches filled up and were cleared, and the
    /// bytes they hold now: what the pipeline bench reports to size `CACHE_LIMIT` by.
    pub fn cache_use(&self) -> (usize, usize) {
        self.engines
            .iter()
            .flatten()
            .fold((0, 0), |(resets, bytes), e| {
                let c = e.caches.get();
                (resets + c.dfa.clear_count(), bytes + c.dfa.memory_usage())
            })
    }

    /// The set indices of rule `k`'s patterns.
    pub fn slots(&self, k: usize) -> [Option<usize>; 2] {
        self.slots[k]
    }
}

/// Which lines each pattern matched in one document, for one pass.
#[derive(Debug)]
pub struct Hits {
    /// None when the set could not be built: rules then run their own regexes.
    by_pattern: Option<Vec<Vec<u32>>>,
}

impl Hits {
    /// The lines (in order) pattern `slot` matched, if the scan knows.
    pub fn lines(&self, slot: Option<usize>) -> Option<&[u32]> {
        Some(&self.by_pattern.as_ref()?[slot?])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::load::parse_file;

    /// The line set of a rule file's text.
    fn set_of(toml: &str) -> LineSet {
        let file = parse_file("t", "t.toml", toml).expect("rules load");
        LineSet::new(&file.rules)
    }

    /// The patterns of each automaton of a rule file's line set.
    fn automata(toml: &str) -> Vec<Vec<usize>> {
        let set = set_of(toml);
        set.engines
            .iter()
            .flatten()
            .map(|e| e.ids.clone())
            .collect()
    }

    fn lines_matched(toml: &str, text: &str) -> Vec<Vec<u32>> {
        let set = set_of(toml);
        let hits = set.scan(&Document::from_text(text));
        (0..set.slots.len())
            .map(|k| hits.lines(set.slots(k)[0]).expect("scanned").to_vec())
            .collect()
    }

    #[test]
    fn an_end_that_takes_any_line_stays_out_of_the_set() {
        let toml = r#"
[[rule]]
id = "label"
drop_between = { start = '^Image caption$', end = '.' }
[[rule]]
id = "box"
drop_between = { start = '^Advertisement$', end = '^End of advertisement$' }
"#;
        let set = set_of(toml);
        // In a set, `.` would match every line, so its scan could skip none of them.
        assert!(set.slots(0)[0].is_some());
        assert_eq!(set.slots(0)[1], None);
        assert!(set.slots(1).iter().all(Option::is_some));
    }

    #[test]
    fn lines_over_every_word_limit_are_not_scanned() {
        let text = "all rights reserved\nnow all rights reserved here\nall rights reserved, and much more text";
        let limited = r#"
[[rule]]
id = "a"
drop = 'all rights reserved'
max_words = 5
"#;
        // Lines 0 and 1 have 3 and 5 words; line 2 has 7.
        assert_eq!(lines_matched(limited, text), vec![vec![0, 1]]);
        // With a rule without a limit in the same automaton, every line is scanned.
        let mixed = format!("{limited}\n[[rule]]\nid = \"b\"\ndrop = 'much more'\n");
        assert_eq!(lines_matched(&mixed, text), vec![vec![0, 1, 2], vec![2]]);
    }

    #[test]
    fn a_pattern_with_first_bytes_reads_lines_from_the_first_of_them() {
        let toml = r#"
[[rule]]
id = "credit"
drop = '(\(|©)[^()©]*/\s*getty images\)?$'
case_insensitive = true
[[rule]]
id = "plain"
drop = 'all rights reserved'
"#;
        let text = "A harbour (Jane Doe/Getty Images)\n\
                    No bracket / getty images\n\
                    Two (brackets) here (Jane Doe / GETTY IMAGES)\n\
                    © Jane Doe/Getty Images\n\
                    (Getty Images) and more\n\
                    all rights reserved (really)";
        assert_eq!(
            lines_matched(toml, text),
            vec![vec![0, 2, 3], vec![5]],
            "the same lines as the pattern's own regex"
        );
        let set = set_of(toml);
        let gated: Vec<&Vec<usize>> = set
            .engines
            .as_ref()
            .expect("built")
            .iter()
            .filter(|e| e.first.is_some())
            .map(|e| &e.ids)
            .collect();
        // "all rights reserved" starts with a letter: too common a byte to gate on.
        assert_eq!(gated, [&vec![0]]);
        // Each gated automaton is one more pass: a file of many such patterns gates a few.
        let many: String = (0..MAX_GATED + 3)
            .map(|k| format!("[[rule]]\nid = \"r{k}\"\ndrop = '\\(x{{{k}}}\\)'\n"))
            .collect();
        let set = set_of(&many);
        let engines = set.engines.as_ref().expect("built");
        assert_eq!(
            engines.iter().filter(|e| e.first.is_some()).count(),
            MAX_GATED
        );
        let text = (0..MAX_GATED + 3)
            .map(|k| format!("a ({})", "x".repeat(k)))
            .collect::<Vec<_>>()
            .join("\n");
        let every: Vec<Vec<u32>> = (0..MAX_GATED as u32 + 3).map(|k| vec![k]).collect();
        assert_eq!(lines_matched(&many, &text), every);
    }

    #[test]
    fn a_unicode_word_boundary_does_not_slow_the_other_patterns() {
        let toml = r#"
[[rule]]
id = "plain"
drop = '^über uns$'
[[rule]]
id = "word"
drop = '^mehr\b'
[[rule]]
id = "inner"
drop = 'alle rechte'
"#;
        let text = "über uns\nmehr über uns\nmehrere Wörter\nalle rechte vorbehalten";
        assert_eq!(lines_matched(toml, text), vec![vec![0], vec![1], vec![3]]);
        // The lazy DFA answers a non-ASCII line for every automaton but the one that
        // holds the `\b` pattern.
        let set = set_of(toml);
        let engines = set.engines.as_ref().expect("built");
        assert_eq!(engines.len(), 3);
        for e in engines {
            let mut cache = e.dfa.create_cache();
            let answered = e
                .dfa
                .try_search_fwd(&mut cache, &Input::new("mehr über uns"))
                .is_ok();
            assert_eq!(answered, e.ids != [1], "automaton of patterns {:?}", e.ids);
        }
    }

    #[test]
    fn patterns_that_count_a_run_of_any_characters_share_an_automaton_apart() {
        let toml = r#"
[[rule]]
id = "credit"
drop = '(photo|foto): [^.!?]{1,60}$'
case_insensitive = true
[[rule]]
id = "rights"
drop = 'all rights reserved'
case_insensitive = true
[[rule]]
id = "staff"
drop = 'by [^.!?]{2,30}, staff$'
"#;
        let text = "A harbour at dawn. Photo: Jane Doe\nAll rights reserved\n\
                    Pictured by Jane Doe, staff\nPhoto: one. Two";
        assert_eq!(lines_matched(toml, text), vec![vec![0], vec![1], vec![2]]);
        assert_eq!(automata(toml), [vec![1], vec![0, 2]]);
    }

    #[test]
    fn an_anchored_pattern_that_opens_wide_gets_an_automaton_of_its_own() {
        let toml = r#"
[[rule]]
id = "prompt"
drop = '^(.{0,40}: )?allow notifications$'
case_insensitive = true
[[rule]]
id = "label"
drop = '^advertisement$'
case_insensitive = true
[[rule]]
id = "menu"
drop = '^(menu|navigation)$'
[[rule]]
id = "more"
drop = '^(.{0,40}: )?mehr\b'
"#;
        let text = "Breaking news: Allow notifications\nAdvertisement\nmenu\n\
                    Allow notifications\nA sentence that says allow notifications\n\
                    Über uns: mehr über uns";
        assert_eq!(
            lines_matched(toml, text),
            vec![vec![0, 3], vec![1], vec![2], vec![5]]
        );
        // One with a Unicode `\b` stays in the automaton of those.
        assert_eq!(automata(toml), [vec![1, 2], vec![3], vec![0]]);
    }
}
