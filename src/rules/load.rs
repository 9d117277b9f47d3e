//! Loading rule files: TOML -> raw serde types -> compiled rules, collecting every
//! problem with its file:line:col instead of stopping at the first.

use super::diagnostic::{Diagnostic, LoadErrors};
use super::lineset::LineSet;
use super::pattern::{self, Scope};
use super::schema::{RULE_KEYS, RawHtml, RawPattern, RawRule, RawSite, TOP_KEYS};
use super::{Action, Example, Rule, RuleFile, Site, Window};
use crate::heuristics;
use crate::normalize::{self, Step};
use globset::{GlobBuilder, GlobSetBuilder};
use serde::Deserialize;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

/// The generic rules, built into the binary.
pub const DEFAULT_RULES: &str = include_str!("../../rules/default.toml");
pub const DEFAULT_STEM: &str = "default";
pub const DEFAULT_PATH: &str = "rules/default.toml (embedded)";

/// Parse and compile one rule file. `path` is only used in messages.
pub fn parse_file(stem: &str, path: &str, src: &str) -> Result<RuleFile, LoadErrors> {
    let (file, errors) = parse_file_partial(stem, path, src);
    if errors.is_empty() {
        Ok(file)
    } else {
        Err(LoadErrors(errors))
    }
}

/// Parse and compile one rule file, keeping what is sound: the file without the rules
/// that have problems, and every problem, in the order of the file.
pub fn parse_file_partial(stem: &str, path: &str, src: &str) -> (RuleFile, Vec<Diagnostic>) {
    let mut cx = Cx {
        path,
        src,
        line_starts: std::iter::once(0)
            .chain(src.match_indices('\n').map(|(i, _)| i + 1))
            .collect(),
        errors: Vec::new(),
    };
    let file = cx.file(stem);
    // In the order of the file, as an editor walks it.
    cx.errors.sort_by_key(|d| (d.line, d.col));
    (file, cx.errors)
}

/// Read every `*.toml` under `dir` (sorted, recursive). Missing or unreadable paths are
/// errors too, reported with the rest.
pub fn read_dir(dir: &Path) -> Result<Vec<(PathBuf, String)>, LoadErrors> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let fail = |p: &Path, msg: String| Diagnostic {
        file: p.display().to_string(),
        line: 1,
        col: 1,
        rule: None,
        message: msg,
        hint: None,
    };
    if dir.is_file() {
        let mut d = fail(dir, "a file, not a rules directory".into());
        d.hint = Some("--rules takes a folder of *.toml rule files".into());
        errors.push(d);
        return Err(LoadErrors(errors));
    } else if !dir.is_dir() {
        errors.push(fail(dir, "rules directory not found".into()));
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        match entry {
            Ok(e) if e.file_type().is_file() && e.path().extension() == Some("toml".as_ref()) => {
                match std::fs::read_to_string(e.path()) {
                    Ok(s) => out.push((e.path().to_path_buf(), s)),
                    Err(err) => errors.push(fail(e.path(), format!("cannot read: {err}"))),
                }
            }
            Ok(_) => {}
            Err(err) if dir.is_dir() => {
                let p = err.path().unwrap_or(dir).to_path_buf();
                errors.push(fail(&p, err.to_string()));
            }
            Err(_) => {}
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(LoadErrors(errors))
    }
}

struct Cx<'a> {
    path: &'a str,
    src: &'a str,
    /// Byte offset where each line of `src` starts: every rule and example records its
    /// line, and counting lines from the top for each is quadratic in the file size.
    line_starts: Vec<usize>,
    errors: Vec<Diagnostic>,
}

impl Cx<'_> {
    fn err(&mut self, at: usize, rule: Option<&str>, msg: impl Into<String>) -> &mut Diagnostic {
        self.errors
            .push(Diagnostic::at(self.path, self.src, at, rule, msg.into()));
        self.errors.last_mut().expect("just pushed")
    }

    /// The 1-based line of byte offset `at`.
    fn line_of(&self, at: usize) -> usize {
        self.line_starts.partition_point(|&s| s <= at)
    }

    fn de_err(&mut self, e: toml::de::Error, fallback: usize, rule: Option<&str>) {
        let at = e.span().map_or(fallback, |s| s.start);
        let msg = e.message().trim().to_string();
        let hint = if msg.contains("untagged enum RawPattern") {
            Some("a pattern is a regex string, a list of regex strings, or { literal = [\"...\"] }")
        } else {
            None
        };
        let msg = if hint.is_some() {
            "not a valid pattern".to_string()
        } else {
            msg
        };
        let d = self.err(at, rule, msg);
        if let Some(h) = hint {
            d.hint = Some(h.into());
        }
    }

    fn file(&mut self, stem: &str) -> RuleFile {
        let mut file = RuleFile {
            stem: stem.to_string(),
            path: self.path.to_string(),
            digest: std::hash::BuildHasher::hash_one(&rustc_hash::FxBuildHasher, self.src),
            site: None,
            disable: Vec::new(),
            rules: Vec::new(),
            heuristics: Vec::new(),
            rule_refs: Vec::new(),
            normalize: Vec::new(),
            lines: Default::default(),
            html_root: None,
            html_drop: Vec::new(),
        };
        let table = match DeTable::parse(self.src) {
            Ok(t) => t.into_inner(),
            Err(e) => {
                self.de_err(e, 0, None);
                return file;
            }
        };
        for (key, value) in table {
            let at = key.span().start;
            match key.get_ref().as_ref() {
                "site" => file.site = self.site(value, &mut file.disable),
                "disable" => {
                    match Vec::<Spanned<String>>::deserialize(ValueDeserializer::from(value)) {
                        Ok(ids) => file.disable.extend(self.placed(&ids)),
                        Err(e) => self.de_err(e, at, None),
                    }
                }
                "rule" => self.rules(stem, value, &mut file.rules),
                "heuristics" => self.heuristics(value, &mut file),
                "normalize" => self.normalize(value, &mut file.normalize),
                "html" => self.html(stem, value, &mut file),
                other => {
                    let msg = format!("unknown key `{other}`");
                    self.err(at, None, msg)
                        .hint
                        .replace(format!("top-level keys are: {}", TOP_KEYS.join(", ")));
                }
            }
        }
        self.line_set(&mut file);
        file
    }

    /// Compile the file's whole-line patterns into their set; if the set cannot be
    /// built (too large), every pattern gets its own regex, and one that cannot is an
    /// error at its rule.
    fn line_set(&mut self, file: &mut RuleFile) {
        let set = LineSet::new(&file.rules);
        if !set.built() {
            for r in &file.rules {
                let (a, b) = r.action.matchers();
                for m in [Some(a), b].into_iter().flatten() {
                    if let Err(e) = m.compile_now() {
                        let at = self.line_starts[r.line - 1];
                        self.err(at, Some(&r.id), format!("bad regex: {e}"));
                    }
                }
            }
        }
        file.lines = Arc::new(set);
    }

    /// Each string with the line and column it was written at.
    fn placed(&self, items: &[Spanned<String>]) -> Vec<(String, usize, usize)> {
        (items.iter())
            .map(|d| {
                let at = Diagnostic::at(self.path, self.src, d.span().start, None, String::new());
                (d.get_ref().clone(), at.line, at.col)
            })
            .collect()
    }

    fn site(
        &mut self,
        value: Spanned<DeValue<'_>>,
        disable: &mut Vec<(String, usize, usize)>,
    ) -> Option<Site> {
        let at = value.span().start;
        let raw = match RawSite::deserialize(ValueDeserializer::from(value)) {
            Ok(r) => r,
            Err(e) => {
                self.de_err(e, at, None);
                return None;
            }
        };
        let mut globs = GlobSetBuilder::new();
        for p in &raw.paths {
            // Paths are matched without a leading `./`, so globs are read so too.
            let glob = super::book::without_dot(Path::new(p.get_ref()));
            match GlobBuilder::new(&glob.to_string_lossy())
                .literal_separator(true)
                .build()
            {
                Ok(g) => {
                    globs.add(g);
                }
                Err(e) => {
                    self.err(p.span().start, None, format!("bad path glob: {e}"));
                }
            }
        }
        let paths = globs.build().unwrap_or_else(|_| globset::GlobSet::empty());
        let mut hosts = Vec::new();
        for h in &raw.hosts {
            match super::book::host_name(h.get_ref()) {
                Some(host) => hosts.push(host),
                None => {
                    let msg = format!(
                        "not a host name: {:?} (write a bare host such as example.com; \
                         it also matches its subdomains)",
                        h.get_ref()
                    );
                    self.err(h.span().start, None, msg);
                }
            }
        }
        disable.extend(self.placed(&raw.disable));
        Some(Site { hosts, paths })
    }

    fn rules(&mut self, stem: &str, value: Spanned<DeValue<'_>>, out: &mut Vec<Arc<Rule>>) {
        let at = value.span().start;
        let DeValue::Array(items) = value.into_inner() else {
            self.err(
                at,
                None,
                "`rule` must be an array of tables: write [[rule]]",
            );
            return;
        };
        let mut seen = HashSet::new();
        for item in items {
            let at = item.span().start;
            // The id, if readable, so even a rule that fails to parse is named.
            let id = item
                .get_ref()
                .get("id")
                .and_then(|v| v.get_ref().as_str())
                .map(|id| format!("{stem}/{id}"));
            if self.unknown_rule_keys(&item, id.as_deref()) {
                continue;
            }
            let raw = match RawRule::deserialize(ValueDeserializer::from(item)) {
                Ok(r) => r,
                Err(e) => {
                    self.de_err(e, at, id.as_deref());
                    continue;
                }
            };
            let name = raw.id.get_ref().clone();
            let full = format!("{stem}/{name}");
            let id_at = raw.id.span().start;
            if !valid_id(&name) {
                self.err(
                    id_at,
                    Some(&full),
                    "a rule id is lowercase letters, digits and dashes",
                )
                .hint = Some("name what the rule catches, e.g. `skip-link`".into());
                continue;
            }
            if !seen.insert(name.clone()) {
                self.err(id_at, Some(&full), "duplicate rule id").hint =
                    Some("every id in a file must be unique; rename one".into());
                continue;
            }
            if let Some(rule) = self.rule(raw, &full) {
                out.push(Arc::new(rule));
            }
        }
    }

    /// Report each key of a rule table that no rule takes, at the key; true if any.
    fn unknown_rule_keys(&mut self, item: &Spanned<DeValue<'_>>, id: Option<&str>) -> bool {
        let DeValue::Table(table) = item.get_ref() else {
            return false;
        };
        let mut any = false;
        for key in table.keys() {
            let name = key.get_ref().as_ref();
            if !RULE_KEYS.contains(&name) {
                self.err(key.span().start, id, format!("unknown key `{name}`"))
                    .hint = Some(format!("a rule's keys are: {}", RULE_KEYS.join(", ")));
                any = true;
            }
        }
        any
    }

    fn pattern(
        &mut self,
        p: &Spanned<RawPattern>,
        ci: bool,
        scope: Scope,
        id: &str,
    ) -> Option<pattern::Matcher> {
        match pattern::compile(p.get_ref(), ci, scope) {
            Ok(m) => Some(m),
            Err(e) => {
                let at = self.item_at(p, ci).unwrap_or(p.span().start);
                self.err(at, Some(id), format!("bad regex: {e}"));
                None
            }
        }
    }

    /// Where the regex at fault stands in a pattern list, so the error points at its
    /// line rather than at the list's first.
    fn item_at(&self, p: &Spanned<RawPattern>, ci: bool) -> Option<usize> {
        let RawPattern::AnyOf(list) = p.get_ref() else {
            return None;
        };
        let (k, _) = pattern::failing_item(list, ci)?;
        let span = p.span();
        let DeValue::Array(items) = DeValue::parse(&self.src[span.clone()]).ok()?.into_inner()
        else {
            return None;
        };
        Some(span.start + items.get(k)?.span().start)
    }

    fn rule(&mut self, raw: RawRule, id: &str) -> Option<Rule> {
        let id_at = raw.id.span().start;
        let ci = raw.case_insensitive;
        let given: Vec<&str> = [
            ("strip", raw.strip.is_some()),
            ("drop", raw.drop.is_some()),
            ("replace", raw.replace.is_some()),
            ("cut_after", raw.cut_after.is_some()),
            ("cut_before", raw.cut_before.is_some()),
            ("drop_between", raw.drop_between.is_some()),
        ]
        .into_iter()
        .filter_map(|(k, on)| on.then_some(k))
        .collect();
        if given.len() != 1 {
            let msg = if given.is_empty() {
                "no action".to_string()
            } else {
                format!("more than one action: {}", given.join(", "))
            };
            self.err(id_at, Some(id), msg).hint = Some(
                "give exactly one of strip, drop, replace, cut_after, cut_before, drop_between"
                    .into(),
            );
            return None;
        }
        if raw.with.is_some() != raw.replace.is_some() {
            self.err(
                id_at,
                Some(id),
                "`with` goes with `replace`, and `replace` needs `with`",
            );
            return None;
        }
        let is_cut = raw.cut_after.is_some() || raw.cut_before.is_some();
        let is_span = raw.strip.is_some() || raw.replace.is_some();
        // Where each limit stands, when given to an action it does not apply to.
        let misplaced = [
            (
                "min_words",
                raw.min_words.as_ref().map(|v| v.span()),
                !is_cut,
                "cut_after and cut_before",
            ),
            (
                "max_cut_ratio",
                raw.max_cut_ratio.as_ref().map(|v| v.span()),
                !is_cut,
                "cut_after and cut_before",
            ),
            (
                "min_run",
                raw.min_run.as_ref().map(|v| v.span()),
                raw.drop.is_none(),
                "drop",
            ),
            (
                "max_words",
                raw.max_words.as_ref().map(|v| v.span()),
                is_span,
                "line actions, not strip or replace",
            ),
        ];
        if let Some((key, at, applies)) =
            misplaced
                .into_iter()
                .find_map(|(key, span, wrong, applies)| {
                    Some((key, span.filter(|_| wrong)?.start, applies))
                })
        {
            self.err(at, Some(id), format!("`{key}` applies to {applies} only"));
            return None;
        }
        if let Some(r) = &raw.max_cut_ratio
            && !(*r.get_ref() >= 0.0 && r.get_ref().is_finite())
        {
            self.err(
                r.span().start,
                Some(id),
                "`max_cut_ratio` must be a number >= 0",
            );
            return None;
        }
        // A rule that could never take a line, or a run of no lines, is a mistake.
        if let Some((key, v)) = [("max_words", &raw.max_words), ("min_run", &raw.min_run)]
            .into_iter()
            .find_map(|(key, v)| v.as_ref().filter(|v| *v.get_ref() == 0).map(|v| (key, v)))
        {
            self.err(
                v.span().start,
                Some(id),
                format!("`{key}` must be at least 1"),
            );
            return None;
        }
        let action = if let Some(p) = &raw.strip {
            Action::Strip(self.pattern(p, ci, Scope::Span, id)?)
        } else if let Some(p) = &raw.replace {
            let with = raw.with.as_ref()?;
            let m = self.pattern(p, ci, Scope::Span, id)?;
            if let Err(msg) = replacement_problem(m.regex(), with.get_ref()) {
                self.err(with.span().start, Some(id), msg);
                return None;
            }
            Action::Replace(m, with.get_ref().clone())
        } else if let Some(p) = &raw.drop {
            Action::Drop(self.pattern(p, ci, Scope::Line, id)?)
        } else if let Some(p) = &raw.cut_after {
            Action::CutAfter(self.pattern(p, ci, Scope::Line, id)?)
        } else if let Some(p) = &raw.cut_before {
            Action::CutBefore(self.pattern(p, ci, Scope::Line, id)?)
        } else {
            let b = raw.drop_between.as_ref()?.get_ref();
            let start = self.pattern(&b.start, ci, Scope::Line, id);
            let end = self.pattern(&b.end, ci, Scope::Line, id);
            Action::DropBetween(start?, end?)
        };
        let within = match &raw.within {
            None => None,
            Some(w) => {
                let (first, last) = (w.get_ref().first, w.get_ref().last);
                if (first.is_none() && last.is_none()) || first == Some(0) || last == Some(0) {
                    self.err(w.span().start, Some(id), "bad window").hint =
                        Some("write within = { first = N }, { last = N } or both, N > 0".into());
                    return None;
                }
                Some(Window { first, last })
            }
        };
        let unless = match &raw.unless {
            None => None,
            Some(p) => Some(self.pattern(p, ci, Scope::Key, id)?),
        };
        let examples = raw
            .examples
            .iter()
            .map(|e| Example {
                input: e.get_ref().input.clone(),
                output: e.get_ref().output.clone(),
                line: self.line_of(e.span().start),
            })
            .collect();
        Some(Rule {
            id: Arc::from(id),
            file: Arc::from(self.path),
            line: self.line_of(id_at),
            description: raw.description.trim().to_string(),
            action,
            within,
            unless,
            max_words: raw.max_words.map(|v| v.into_inner()),
            min_run: raw.min_run.map_or(1, |v| v.into_inner()),
            min_words: raw.min_words.map_or(0, |v| v.into_inner()),
            max_cut_ratio: raw.max_cut_ratio.map(|v| v.into_inner()),
            examples,
        })
    }

    fn heuristics(&mut self, value: Spanned<DeValue<'_>>, file: &mut RuleFile) {
        let at = value.span().start;
        let DeValue::Table(table) = value.into_inner() else {
            self.err(
                at,
                None,
                "`heuristics` must be a table of [heuristics.<name>] tables",
            );
            return;
        };
        for (name, params) in table {
            let name_at = name.span().start;
            let name = name.get_ref().to_string();
            let id = format!("{DEFAULT_STEM}/{name}");
            if !heuristics::NAMES.iter().any(|(n, _)| *n == name) {
                let known: Vec<&str> = heuristics::NAMES.iter().map(|(n, _)| *n).collect();
                self.err(name_at, Some(&id), format!("unknown heuristic `{name}`"))
                    .hint = Some(format!("known heuristics: {}", known.join(", ")));
                continue;
            }
            let p_at = params.span().start;
            // Where each key stands (as the error quotes it), for an error about one.
            let keys: Vec<(String, usize)> = match params.get_ref() {
                DeValue::Table(t) => t
                    .iter()
                    .map(|(k, _)| (format!("`{}`", k.get_ref()), k.span().start))
                    .collect(),
                _ => Vec::new(),
            };
            // Rule ids among the parameters, placed, for the check across files.
            let refs: Vec<Spanned<String>> = match params.get_ref() {
                DeValue::Table(t) => t
                    .iter()
                    .filter(|(k, _)| heuristics::RULE_ID_KEYS.contains(&(&*name, k.get_ref())))
                    .filter_map(|(_, v)| {
                        Vec::<Spanned<String>>::deserialize(ValueDeserializer::from(v.clone())).ok()
                    })
                    .flatten()
                    .collect(),
                _ => Vec::new(),
            };
            let raw = match toml::Table::deserialize(ValueDeserializer::from(params)) {
                Ok(t) => t,
                Err(e) => {
                    self.de_err(e, p_at, Some(&id));
                    continue;
                }
            };
            // Check the table against the heuristic's own parameters now, located.
            if let Err(msg) = heuristics::build(&name, [&raw]) {
                // Placed at the key at fault, not at the table's header: an unknown key
                // is named by the message; a bad value fails with its key alone.
                let unknown = msg
                    .strip_prefix("unknown field ")
                    .and_then(|m| m.split(',').next());
                let culprit = raw.iter().find_map(|(k, v)| {
                    let alone = toml::Table::from_iter([(k.clone(), v.clone())]);
                    heuristics::build(&name, [&alone])
                        .is_err()
                        .then(|| format!("`{k}`"))
                });
                let named = unknown.map(str::to_string).or(culprit);
                let at = keys
                    .iter()
                    .find(|(k, _)| named.as_ref() == Some(k))
                    .map_or(p_at, |(_, at)| *at);
                let msg = match (unknown, &named) {
                    (None, Some(key)) => format!("{key}: {msg}"),
                    _ => msg,
                };
                self.err(at, Some(&id), msg);
                continue;
            }
            file.rule_refs.extend(self.placed(&refs));
            file.heuristics.push((name, raw));
        }
    }
}

impl Cx<'_> {
    /// `[html]`: `root` and `drop` CSS selectors, each checked here so a bad one is
    /// reported at its file:line:col.
    fn html(&mut self, stem: &str, value: Spanned<DeValue<'_>>, file: &mut RuleFile) {
        let at = value.span().start;
        let raw = match RawHtml::deserialize(ValueDeserializer::from(value)) {
            Ok(r) => r,
            Err(e) => {
                self.de_err(e, at, None);
                return;
            }
        };
        let compile = |cx: &mut Self, s: &Spanned<String>, kind: &str| {
            let id = format!("{stem}/html-{kind}[{}]", s.get_ref().trim());
            match scraper::Selector::parse(s.get_ref()) {
                Ok(selector) => Some(crate::html::SiteSelector {
                    selector,
                    source: s.get_ref().clone(),
                    id: Arc::from(id),
                }),
                Err(e) => {
                    // The parser's message for some errors is only its error's name.
                    let msg = e.to_string();
                    let msg = match msg.lines().last() {
                        Some(last) if msg.starts_with("Unexpected error") => last.trim(),
                        _ => msg.trim(),
                    };
                    cx.err(
                        s.span().start,
                        Some(&id),
                        format!("bad CSS selector: {msg}"),
                    )
                    .hint = Some("write a CSS selector such as `div.share` or `#comments`".into());
                    None
                }
            }
        };
        if let Some(root) = &raw.root {
            file.html_root = compile(self, root, "root");
        }
        for d in &raw.drop {
            if let Some(sel) = compile(self, d, "drop") {
                file.html_drop.push(sel);
            }
        }
    }

    /// `[normalize]`: step names to `true` or `false`.
    fn normalize(&mut self, value: Spanned<DeValue<'_>>, out: &mut Vec<(Step, bool)>) {
        let at = value.span().start;
        let DeValue::Table(table) = value.into_inner() else {
            self.err(at, None, "`normalize` must be a table: write [normalize]")
                .hint = Some("e.g. [normalize] then `mojibake = false`".into());
            return;
        };
        let names = || {
            normalize::STEPS
                .iter()
                .map(|s| s.name)
                .collect::<Vec<_>>()
                .join(", ")
        };
        for (key, v) in table {
            let key_at = key.span().start;
            let name = key.get_ref().to_string();
            let id = format!("{}/{name}", normalize::STEM);
            let Some(step) = Step::by_name(&name) else {
                self.err(
                    key_at,
                    Some(&id),
                    format!("unknown normalization step `{name}`"),
                )
                .hint = Some(format!("steps: {}", names()));
                continue;
            };
            match v.get_ref() {
                DeValue::Boolean(on) => out.push((step, *on)),
                _ => {
                    self.err(v.span().start, Some(&id), "must be true or false")
                        .hint = Some(format!("write `{name} = true` or `{name} = false`"));
                }
            }
        }
    }
}

/// The groups `with` names (`$1`, `${name}`; `$$` is a dollar sign).
pub(super) fn group_refs(with: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = with;
    while let Some(at) = rest.find('$') {
        rest = &rest[at + 1..];
        let name = if let Some(braced) = rest.strip_prefix('{') {
            let end = braced.find('}').unwrap_or(braced.len());
            rest = braced.get(end + 1..).unwrap_or("");
            &braced[..end]
        } else if let Some(after) = rest.strip_prefix('$') {
            rest = after;
            continue;
        } else {
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            let name = &rest[..end];
            rest = &rest[end..];
            name
        };
        if !name.is_empty() {
            names.push(name);
        }
    }
    names
}

/// Why `with` cannot be a replacement of `re`: a line break (rules work on lines, and
/// a later clean would see two), a group the pattern does not have (`$2`, or `$1kg`,
/// which names a group `1kg`: `${1}kg` was meant), or a replacement its own rule would
/// rewrite again (`x` -> `xx`), which grows on every clean.
fn replacement_problem(re: &regex::Regex, with: &str) -> Result<(), String> {
    if with.contains(['\n', '\r']) {
        return Err("`with` cannot hold a line break: rules work on one line at a time".into());
    }
    let refs = group_refs(with);
    for name in &refs {
        let known = match name.parse::<usize>() {
            Ok(n) => n < re.captures_len(),
            Err(_) => re.capture_names().flatten().any(|g| g == *name),
        };
        if !known {
            return Err(format!(
                "`with` names group `{name}`, which the pattern does not have \
                 (write `${{1}}kg` to follow a group with letters, `$$` for a dollar sign)"
            ));
        }
    }
    if refs.is_empty() && re.replace_all(with, with) != with {
        return Err(format!(
            "the pattern matches its own replacement {with:?}, so every clean would \
             replace it again"
        ));
    }
    Ok(())
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}
