//! `default/main-content`: the main text of a page, found from the text alone. Each line
//! gets a score from two small logistic regressions over what the text shows (features.rs,
//! weights in model.toml), the second also reading the first one's scores around the
//! line; one main region is chosen by maximum sum over the clipped scores; inside it lines
//! are kept on a loose threshold, outside it only on a strict one; the title line just
//! above the region is kept. The rules run first: this is the complement for residue no
//! pattern names.

mod counts;
pub mod features;
mod marks;

use super::{Heuristic, Memo};
use crate::document::{Document, Kept, Score};
use crate::lang::Lang;
use features::{CONTEXT, LineFeatures, NAMES, Row, Seen, Unit, Weights, window_means};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

/// The trained weights, embedded.
const MODEL: &str = include_str!("model.toml");

/// The first stage, and the second under `[second]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Model {
    bias: f64,
    weights: BTreeMap<String, f64>,
    second: Stage,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Stage {
    bias: f64,
    weights: BTreeMap<String, f64>,
}

/// Weights in feature order; the embedded file is checked by a test.
fn weights() -> &'static Weights {
    static W: OnceLock<Weights> = OnceLock::new();
    W.get_or_init(|| {
        let m: Model = toml::from_str(MODEL).expect("embedded model parses");
        let row = |w: &BTreeMap<String, f64>| -> Row { NAMES.map(|name| w[name]) };
        Weights {
            stages: [
                (m.bias, row(&m.weights)),
                (m.second.bias, row(&m.second.weights)),
            ],
            context: CONTEXT.map(|name| m.second.weights[name]),
        }
    })
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MainContent {
    /// Pages with fewer lines of text are left to the rules.
    min_lines: usize,
    /// So are pages with more: a file of that many lines is a list or a dump, not a web
    /// page, and deciding it again after each drop costs time that grows with the square
    /// of its lines.
    max_lines: usize,
    /// Scores are clipped to [lo, hi] for the region search, so short lines inside an
    /// article cost little and one long paragraph cannot drag the region over a footer.
    lo: f64,
    hi: f64,
    /// Subtracted from each score before the region search.
    bias: f64,
    /// A page whose best smoothed score is below `m` has its thresholds lowered by the gap.
    m: f64,
    /// Keep thresholds inside and outside the region.
    t_in: f64,
    t_out: f64,
    /// Keep the title line just above the region.
    headline: bool,
}

impl Heuristic for MainContent {
    /// Decides, drops, and decides again on what is left until nothing changes, so one
    /// call settles the page; the features of each line text are computed once per page
    /// and language (`memo` keeps them for a later call on the same page).
    fn apply(&self, doc: &mut Document, id: &Arc<str>, memo: &mut Memo) {
        // What an earlier call judged no longer holds: the page changed since.
        doc.kept.clear();
        let live = doc.live();
        if live.len() < self.min_lines || live.len() > self.max_lines {
            return;
        }
        let memo = memo
            .get_or_insert_with(|| Box::new(PageMemo::default()))
            .downcast_mut::<PageMemo>()
            .expect("main-content keeps its own memo");
        // The text as written (tabs of table cells included), trimmed.
        let texts: Vec<&str> = live.iter().map(|&i| doc.lines[i].trimmed()).collect();
        let mut sample = Lang::sample(texts.iter().copied());
        let mut lang = memo.guess(&sample);
        let w = weights();
        let mut lines = LineFeatures::new(&texts, lang, w, &mut memo.seen);
        // Indices into `live` of the lines still kept; per line, the score it was
        // dropped on.
        let mut kept: Vec<usize> = (0..live.len()).collect();
        let mut dropped: Vec<Option<Score>> = vec![None; live.len()];
        // Per line the last decision kept (index into `live`): the score it kept on, and
        // whether it is the headline.
        let mut judged: Vec<(usize, Score, bool)> = Vec::new();
        while kept.len() >= self.min_lines {
            let units = self.units(doc, &live, &kept);
            let scores = lines.scores(&kept, &units, w);
            let (keep, bars) = self.decide(&scores, &lines.titles(&kept));
            // The lines this decision keeps: the last decision's are the page's.
            judged = (kept.iter().enumerate())
                .filter(|&(j, _)| keep[j])
                .map(|(j, &k)| (k, bars.score(j, scores[j]), bars.headline == Some(j)))
                .collect();
            if keep.iter().all(|&k| k) {
                // Settled, unless the language guessed on these very lines (the
                // output's) differs: cleaning the output again would judge in that one.
                let now = Lang::sample(kept.iter().map(|&k| texts[k]));
                let relang = now != sample && {
                    sample = now;
                    let guess = memo.guess(&sample);
                    let changed = guess != lang;
                    lang = guess;
                    changed
                };
                if !relang {
                    break;
                }
                lines = LineFeatures::new(&texts, lang, w, &mut memo.seen);
                continue;
            }
            for (j, &k) in kept.iter().enumerate() {
                if !keep[j] {
                    dropped[k] = Some(bars.score(j, scores[j]));
                }
            }
            kept.retain(|&k| dropped[k].is_none());
        }
        drop(texts);
        for (k, &i) in live.iter().enumerate() {
            if let Some(score) = dropped[k] {
                doc.drop_scored(i, id, Some(score));
            }
        }
        doc.kept = judged
            .into_iter()
            .map(|(k, score, headline)| Kept {
                rule_id: id.clone(),
                line: doc.lines[live[k]].no,
                score,
                headline,
            })
            .collect();
    }

    fn settles(&self) -> bool {
        true
    }
}

/// What the detector keeps between its calls on one page.
#[derive(Default)]
struct PageMemo {
    seen: Seen,
    /// The language guessed for each sample so far.
    guesses: Vec<(String, Lang)>,
}

impl PageMemo {
    /// The language of `sample`, guessed once per page.
    fn guess(&mut self, sample: &str) -> Lang {
        if let Some((_, lang)) = self.guesses.iter().find(|(s, _)| s == sample) {
            return *lang;
        }
        let lang = Lang::of_sample(sample);
        self.guesses.push((sample.to_string(), lang));
        lang
    }
}

impl MainContent {
    /// The kept lines as the output will show them: a blank line before a line when a
    /// kept blank line stands between it and the previous kept line.
    fn units(&self, doc: &Document, live: &[usize], kept: &[usize]) -> Vec<Unit> {
        let blank_between =
            |a: usize, b: usize| doc.lines[a + 1..b].iter().any(|l| l.kept && l.words() == 0);
        (0..kept.len())
            .map(|j| {
                let i = live[kept[j]];
                Unit {
                    blank_before: j > 0 && blank_between(live[kept[j - 1]], i),
                    blank_after: j + 1 < kept.len() && blank_between(i, live[kept[j + 1]]),
                }
            })
            .collect()
    }

    /// Which lines to keep, from their scores and title shapes; and the thresholds
    /// their scores were held against (a line above its threshold stays, as does the
    /// headline).
    fn decide(&self, s: &[f64], titles: &[bool]) -> (Vec<bool>, Bars) {
        let n = s.len();
        // Pages without any strong stretch of text get their thresholds lowered.
        let near = window_means(s, 3);
        let best = (0..n)
            .map(|i| if n == 1 { s[i] } else { (s[i] + near[i]) / 2.0 })
            .fold(f64::NEG_INFINITY, f64::max);
        let delta = (best - self.m).min(0.0);
        let v: Vec<f64> = s
            .iter()
            .map(|x| (x - self.bias - delta).clamp(self.lo, self.hi))
            .collect();
        let (a, z) = max_sum(&v);
        let mut bars = Bars {
            region: a..z,
            inside: self.t_in + delta,
            outside: self.t_out,
            headline: None,
        };
        let mut keep: Vec<bool> = (0..n).map(|i| s[i] > bars.at(i).0).collect();
        if self.headline && z > a {
            bars.headline = headline(titles, &keep, a);
            if let Some(h) = bars.headline {
                keep[h] = true;
            }
        }
        (keep, bars)
    }
}

/// The keep thresholds of one decision: one inside the main region, one outside; and
/// the headline, kept whatever its score.
struct Bars {
    region: std::ops::Range<usize>,
    inside: f64,
    outside: f64,
    headline: Option<usize>,
}

impl Bars {
    /// Line `i`'s threshold, and whether it stands in the main region.
    fn at(&self, i: usize) -> (f64, bool) {
        if self.region.contains(&i) {
            (self.inside, true)
        } else {
            (self.outside, false)
        }
    }

    /// Line `i`'s score `s` as the record keeps it, with the threshold it was held to.
    fn score(&self, i: usize, s: f64) -> Score {
        let (bar, inside) = self.at(i);
        Score::new(s, bar, inside)
    }
}

/// The contiguous range with the largest sum (empty when no element is positive).
fn max_sum(v: &[f64]) -> (usize, usize) {
    let (mut best, mut range) = (0.0, (0, 0));
    let (mut cur, mut start) = (0.0, 0);
    for (i, &x) in v.iter().enumerate() {
        if cur <= 0.0 {
            cur = 0.0;
            start = i;
        }
        cur += x;
        if cur > best {
            best = cur;
            range = (start, i + 1);
        }
    }
    range
}

/// The title line just above the main text: within six lines above the first kept line of
/// the region, shaped like a title (`features::title_like`), unless that first line is.
fn headline(titles: &[bool], keep: &[bool], a: usize) -> Option<usize> {
    let first = (a..titles.len()).find(|&i| keep[i])?;
    if titles[first] {
        return None;
    }
    for j in (first.saturating_sub(6)..first).rev() {
        if keep[j] {
            return None;
        }
        if titles[j] {
            return Some(j);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_model_names_every_feature() {
        let m: Model = toml::from_str(MODEL).unwrap();
        assert_eq!(m.weights.len(), NAMES.len());
        assert_eq!(m.second.weights.len(), NAMES.len() + CONTEXT.len());
        for n in NAMES {
            assert!(m.weights.contains_key(n), "no weight for {n}");
        }
        for n in NAMES.iter().chain(&CONTEXT) {
            assert!(
                m.second.weights.contains_key(*n),
                "no second-stage weight for {n}"
            );
        }
        weights();
    }

    #[test]
    fn max_sum_picks_the_best_stretch() {
        assert_eq!(max_sum(&[-1.0, 2.0, -0.5, 2.0, -3.0, 1.0]), (1, 4));
        assert_eq!(max_sum(&[-1.0, -2.0]), (0, 0));
    }
}
