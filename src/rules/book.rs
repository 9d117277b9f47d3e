//! The rule book: every loaded rule file, and the rule set that applies to one document
//! (defaults, then each matching site file), resolved once per combination of files.

use super::diagnostic::{Diagnostic, LoadErrors};
use super::engine;
use super::lineset::{Hits, LineSet};
use super::load::{self, DEFAULT_PATH, DEFAULT_RULES, DEFAULT_STEM};
use super::{Action, Rule, RuleFile};
use crate::document::Document;
use crate::heuristics::{self, Heuristic};
use crate::normalize::{self, Settings};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Where rules come from.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// Directories of `*.toml` files, in order. A `default.toml` at the top of one
    /// replaces the embedded defaults.
    pub dirs: Vec<PathBuf>,
    /// Use the generic rules (embedded, or a `default.toml` in a rules dir).
    pub defaults: bool,
}

/// What is known about a document for choosing its site rules.
#[derive(Debug, Clone, Copy, Default)]
pub struct DocContext<'a> {
    pub site: Option<&'a str>,
    pub url: Option<&'a str>,
    pub path: Option<&'a Path>,
}

/// The rules and heuristics that apply to one document, in order.
#[derive(Debug)]
pub struct Resolved {
    pub rules: Vec<Arc<Rule>>,
    pub heuristics: Vec<(Arc<str>, Box<dyn Heuristic>)>,
    /// Indices of the files that matched, in order.
    pub files: Vec<usize>,
    /// The whole-line patterns of `rules`, one set per file, scanned together.
    pub lines: Lines,
    /// The normalization steps that are on.
    pub normalize: Settings,
    /// HTML-level rules: the built-in ones that are on, and site selectors.
    pub html: crate::html::Settings,
    /// The stems of the site files that matched: what the report says applied.
    pub sites: Vec<Arc<str>>,
}

/// The line sets of a resolved rule set, and where each rule's patterns sit in them.
#[derive(Debug)]
pub struct Lines {
    sets: Vec<Arc<LineSet>>,
    /// Per rule (in `Resolved::rules` order): its set and its slots in that set.
    slots: Vec<(usize, [Option<usize>; 2])>,
}

impl Lines {
    /// Which live lines each pattern matches, per set.
    pub fn scan(&self, doc: &Document) -> Vec<Hits> {
        self.sets.iter().map(|s| s.scan(doc)).collect()
    }

    /// Rule `k`'s set and slots.
    pub fn slots(&self, k: usize) -> (usize, [Option<usize>; 2]) {
        self.slots[k]
    }
}

/// A rule with its set (index into the sets given alongside) and slots in that set.
pub type Placed = (Arc<Rule>, (usize, [Option<usize>; 2]));

impl Resolved {
    /// A set of `rules` alone (a rule's examples), their line patterns compiled here.
    pub fn new(
        rules: Vec<Arc<Rule>>,
        heuristics: Vec<(Arc<str>, Box<dyn Heuristic>)>,
        files: Vec<usize>,
    ) -> Self {
        let set = Arc::new(LineSet::new(&rules));
        let placed = rules
            .into_iter()
            .enumerate()
            .map(|(k, r)| (r, (0, set.slots(k))))
            .collect();
        Self::placed(placed, vec![set], heuristics, files)
    }

    /// Rules are put in phase order (stable: within a phase, file order, then order in
    /// the file), each keeping its place in the line sets.
    fn placed(
        mut rules: Vec<Placed>,
        sets: Vec<Arc<LineSet>>,
        heuristics: Vec<(Arc<str>, Box<dyn Heuristic>)>,
        files: Vec<usize>,
    ) -> Self {
        rules.sort_by_key(|(r, _)| r.action.phase());
        let (rules, slots) = rules.into_iter().unzip();
        Resolved {
            rules,
            heuristics,
            files,
            lines: Lines { sets, slots },
            normalize: Settings::default(),
            html: crate::html::Settings::default(),
            sites: Vec::new(),
        }
    }

    /// The same set with these HTML-level rules.
    pub fn with_html(mut self, html: crate::html::Settings) -> Self {
        self.html = html;
        self
    }

    /// The same set with these normalization steps.
    pub fn with_normalize(mut self, normalize: Settings) -> Self {
        self.normalize = normalize;
        self
    }
}

#[derive(Debug)]
pub struct RuleBook {
    pub files: Vec<RuleFile>,
    cache: Mutex<HashMap<Vec<bool>, Arc<Resolved>>>,
}

impl RuleBook {
    /// Load and validate every rule file; all problems are reported together.
    pub fn load(sources: &Sources) -> Result<Self, LoadErrors> {
        let (book, errors) = Self::load_partial(sources);
        if errors.is_empty() {
            Ok(book)
        } else {
            Err(LoadErrors(errors))
        }
    }

    /// Load every rule file, keeping the rules that are sound, with every problem found:
    /// `rinse check` reports them all at once and still runs the sound rules' examples.
    pub fn load_partial(sources: &Sources) -> (Self, Vec<Diagnostic>) {
        let mut texts: Vec<(String, String, String)> = Vec::new();
        let mut errors = Vec::new();
        let mut default_override = None;
        for dir in &sources.dirs {
            match load::read_dir(dir) {
                Ok(found) => {
                    for (path, src) in found {
                        let stem = path
                            .file_stem()
                            .map(|s| s.to_string_lossy().into_owned())
                            .unwrap_or_default();
                        let shown = path.display().to_string();
                        if stem == DEFAULT_STEM && path.parent() == Some(dir.as_path()) {
                            if let Some((_, first, _)) = &default_override {
                                errors.push(Diagnostic {
                                    file: shown.clone(),
                                    line: 1,
                                    col: 1,
                                    rule: None,
                                    message: format!(
                                        "{first} already replaces the built-in defaults"
                                    ),
                                    hint: Some("keep one default.toml across --rules".into()),
                                });
                            }
                            default_override = Some((stem, shown, src));
                        } else {
                            texts.push((stem, shown, src));
                        }
                    }
                }
                Err(e) => errors.extend(e.0),
            }
        }
        if sources.defaults {
            let d = default_override.unwrap_or_else(|| {
                (
                    DEFAULT_STEM.into(),
                    DEFAULT_PATH.into(),
                    DEFAULT_RULES.into(),
                )
            });
            texts.insert(0, d);
        }
        let mut files = Vec::new();
        let mut parse_errors = Vec::new();
        for (stem, path, src) in &texts {
            let (file, errs) = load::parse_file_partial(stem, path, src);
            files.push(file);
            parse_errors.extend(errs);
        }
        let cross = cross_check(&files, &parse_errors);
        errors.extend(parse_errors);
        errors.extend(cross);
        (Self::new(files), errors)
    }

    pub fn new(files: Vec<RuleFile>) -> Self {
        RuleBook {
            files,
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// Every rule in every file, in load order.
    pub fn rules(&self) -> impl Iterator<Item = &Arc<Rule>> {
        self.files.iter().flat_map(|f| f.rules.iter())
    }

    /// Whether file `f` applies to the document described by `cx`, whose URL's host is
    /// `host` (parsed once per document, not once per file).
    fn matches(&self, f: &RuleFile, cx: &DocContext, host: Option<&str>) -> bool {
        let Some(site) = &f.site else { return true };
        if let Some(name) = cx.site {
            let name = name.to_ascii_lowercase();
            if f.stem.eq_ignore_ascii_case(&name)
                || site.hosts.iter().any(|h| host_matches(&name, h))
            {
                return true;
            }
        }
        if let Some(host) = host
            && site.hosts.iter().any(|h| host_matches(host, h))
        {
            return true;
        }
        // The path as given (without a leading `./`: `rinse clean .` walks `./a/x.txt`),
        // and made absolute: `**/example.com/**` then matches from any working folder,
        // inside the site's folder too.
        // (Made absolute only when asked: resolution runs for every JSONL record.)
        cx.path.filter(|_| !site.paths.is_empty()).is_some_and(|p| {
            let p = without_dot(p);
            site.paths.is_match(p)
                || (p.is_relative() && std::path::absolute(p).is_ok_and(|a| site.paths.is_match(a)))
        })
    }

    /// Whether `--site name` selects any loaded site file (by stem or host).
    pub fn knows_site(&self, name: &str) -> bool {
        let cx = DocContext {
            site: Some(name),
            ..Default::default()
        };
        self.files
            .iter()
            .any(|f| f.site.is_some() && self.matches(f, &cx, None))
    }

    /// The rule set for one document; computed once per combination of matching files.
    pub fn resolve(&self, cx: &DocContext) -> Arc<Resolved> {
        let host = cx.url.and_then(url_host);
        let key: Vec<bool> = (self.files.iter())
            .map(|f| self.matches(f, cx, host.as_deref()))
            .collect();
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        cache
            .entry(key)
            .or_insert_with_key(|key| Arc::new(self.build(key)))
            .clone()
    }

    fn build(&self, matched: &[bool]) -> Resolved {
        let files: Vec<usize> = (0..self.files.len()).filter(|&i| matched[i]).collect();
        let disabled: HashSet<&str> = files
            .iter()
            .flat_map(|&i| self.files[i].disable.iter().map(|d| d.0.as_str()))
            .collect();
        let mut sets = Vec::new();
        let mut rules: Vec<Placed> = Vec::new();
        for &i in &files {
            let file = &self.files[i];
            let set = &file.lines;
            for (j, r) in file.rules.iter().enumerate() {
                if !disabled.contains(&*r.id) {
                    rules.push((r.clone(), (sets.len(), set.slots(j))));
                }
            }
            sets.push(set.clone());
        }
        let mut heur = Vec::new();
        for (name, _) in heuristics::NAMES {
            let id = format!("{DEFAULT_STEM}/{name}");
            let tables: Vec<&toml::Table> = files
                .iter()
                .flat_map(|&i| &self.files[i].heuristics)
                .filter(|(n, _)| n == name)
                .map(|(_, t)| t)
                .collect();
            // A heuristic runs when a file that applies has its table.
            if tables.is_empty() || disabled.contains(id.as_str()) {
                continue;
            }
            // Tables were checked one by one at load; a merge of valid tables is valid.
            if let Ok(Some(h)) = heuristics::build(name, tables) {
                heur.push((Arc::from(id), h));
            }
        }
        // Normalization: the built-in defaults, then the `[normalize]` keys of the
        // files that apply to every page, then of the matching site files (later
        // files override), then `disable` entries.
        let mut norm = Settings::default();
        let (global, sites): (Vec<usize>, Vec<usize>) =
            files.iter().partition(|&&i| self.files[i].site.is_none());
        for i in global.into_iter().chain(sites) {
            for &(step, on) in &self.files[i].normalize {
                norm.set(step, on);
            }
        }
        for info in normalize::STEPS {
            if disabled.contains(&**info.step.id()) {
                norm.set(info.step, false);
            }
        }
        // HTML-level rules: the built-in ones come with the defaults; selectors from
        // every matching file's `[html]` table.
        let defaults = files.iter().any(|&i| self.files[i].stem == DEFAULT_STEM);
        let off: Vec<&str> = disabled.iter().copied().collect();
        let mut html = crate::html::Settings::new(defaults, &off);
        for &i in &files {
            let f = &self.files[i];
            html.root.extend(f.html_root.iter().cloned());
            html.drop.extend(f.html_drop.iter().cloned());
        }
        html.root.retain(|r| !disabled.contains(&*r.id));
        html.drop.retain(|r| !disabled.contains(&*r.id));
        let sites = (files.iter().map(|&i| &self.files[i]))
            .filter(|f| f.site.is_some())
            .map(|f| Arc::from(f.stem.as_str()))
            .collect();
        Resolved {
            sites,
            ..Resolved::placed(rules, sets, heur, files)
        }
        .with_normalize(norm)
        .with_html(html)
    }
}

/// Checks across files: unique stems, and `disable` entries (and rule ids in heuristic
/// tables) that name a known rule.
/// A rule with a problem (`broken` names it) is known; a file with a problem no rule owns
/// (bad TOML, say) may hold any id, so `disable` entries naming it are not judged.
fn cross_check(files: &[RuleFile], broken: &[Diagnostic]) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let mut stems = HashSet::new();
    for f in files {
        if f.stem == normalize::STEM || f.stem == crate::html::classify::STEM {
            errors.push(Diagnostic {
                file: f.path.clone(),
                line: 1,
                col: 1,
                rule: None,
                message: format!("a rule file cannot be named `{}`", f.stem),
                hint: Some(
                    "`normalize/...` and `html/...` ids belong to built-in steps and rules".into(),
                ),
            });
        }
        if !stems.insert(f.stem.as_str()) {
            errors.push(Diagnostic {
                file: f.path.clone(),
                line: 1,
                col: 1,
                rule: None,
                message: format!("another rule file is also named `{}`", f.stem),
                hint: Some("rule ids start with the file stem, so stems must be unique".into()),
            });
        }
    }
    // A default rule named as a built-in heuristic would share its id, so `disable`,
    // `explain` and the report could not tell them apart.
    for f in files.iter().filter(|f| f.stem == DEFAULT_STEM) {
        for r in &f.rules {
            let name = r.id.split_once('/').map_or(&*r.id, |(_, n)| n);
            if heuristics::NAMES.iter().any(|(n, _)| *n == name) {
                errors.push(Diagnostic {
                    file: f.path.clone(),
                    line: r.line,
                    col: 1,
                    rule: Some(r.id.to_string()),
                    message: "a built-in heuristic has this id".into(),
                    hint: Some("name the rule otherwise; `rinse rules` lists every id".into()),
                });
            }
        }
    }
    let known: HashSet<String> = files
        .iter()
        .flat_map(|f| f.rules.iter().map(|r| r.id.to_string()))
        .chain(
            heuristics::NAMES
                .iter()
                .map(|(n, _)| format!("{DEFAULT_STEM}/{n}")),
        )
        .chain(normalize::STEPS.iter().map(|s| s.step.id().to_string()))
        .chain(crate::html::rule_ids(files))
        .chain(broken.iter().filter_map(|d| d.rule.clone()))
        .collect();
    let unsure: HashSet<&str> = files
        .iter()
        .filter(|f| broken.iter().any(|d| d.rule.is_none() && d.file == f.path))
        .map(|f| f.stem.as_str())
        .collect();
    // A rule of a file that is not loaded (the defaults under --no-default-rules) cannot
    // be checked, and is off anyway.
    let loaded = |id: &str| {
        let stem = id.split_once('/').map_or(id, |(s, _)| s);
        (stems.contains(stem) && !unsure.contains(stem))
            || stem == normalize::STEM
            || stem == crate::html::classify::STEM
    };
    for f in files {
        // A heuristic's rule ids (`rules`) are checked as `disable` entries are: a slip
        // would name no rule and mark nothing.
        let named = (f.disable.iter().map(|e| ("`disable`", e)))
            .chain(f.rule_refs.iter().map(|e| ("`rules`", e)));
        for (what, (id, line, col)) in named {
            // A bare name would match no id (every id has its file's stem) and turn
            // nothing off without a word.
            if !id.contains('/') {
                let full = known
                    .iter()
                    .filter(|k| k.rsplit_once('/').is_some_and(|(_, n)| n == id))
                    .min();
                errors.push(Diagnostic {
                    file: f.path.clone(),
                    line: *line,
                    col: *col,
                    rule: Some(id.clone()),
                    message: format!("{what} takes a full rule id, `stem/name`"),
                    hint: Some(match full {
                        Some(k) => format!("did you mean `{k}`?"),
                        None => "`rinse rules` lists every id".into(),
                    }),
                });
                continue;
            }
            if loaded(id) && !known.contains(id) {
                errors.push(Diagnostic {
                    file: f.path.clone(),
                    line: *line,
                    col: *col,
                    rule: Some(id.clone()),
                    message: format!("{what} names no known rule"),
                    hint: Some("`rinse rules` lists every id".into()),
                });
            } else if !loaded(id)
                && let Some(near) = misspelt_stem(id, &known)
            {
                errors.push(Diagnostic {
                    file: f.path.clone(),
                    line: *line,
                    col: *col,
                    rule: Some(id.clone()),
                    message: format!("{what} names a rule file that is not loaded"),
                    hint: Some(near),
                });
            }
        }
    }
    errors.extend(replace_chains(files));
    errors
}

/// For a `disable` id whose file is not loaded: what it most likely meant, when its
/// stem is a slip of a built-in one (`defualt/skip-link`). Slips of a site file's stem
/// are not judged: `news.at` beside a loaded `news.de` may be a file of another run's
/// `--rules`.
fn misspelt_stem(id: &str, known: &HashSet<String>) -> Option<String> {
    // The stem as a user may mistype it: in capitals, with `.toml`, or with the folder
    // (`rules/default/skip-link`).
    let (path, name) = id.rsplit_once('/')?;
    let stem = path.rsplit('/').next()?;
    let slip = stem.to_lowercase();
    let slip = slip.strip_suffix(".toml").unwrap_or(&slip);
    let builtin = [DEFAULT_STEM, normalize::STEM, crate::html::classify::STEM]
        .into_iter()
        .find(|b| {
            // Short stems allow one slip: `xml` is no `html`.
            let most = if b.len() <= 4 { 1 } else { 2 };
            *b != path && strsim::damerau_levenshtein(slip, b) <= most
        })?;
    let meant = format!("{builtin}/{name}");
    Some(if known.contains(&meant) {
        format!("did you mean `{meant}`?")
    } else {
        format!("did you mean the file `{builtin}`? `rinse rules` lists its ids")
    })
}

/// A literal replacement that replace rules would rewrite without end (`x` -> `yz`
/// beside `y` -> `xx`, or `foo` -> `bar` beside `bar` -> `foo`) would grow or cycle on
/// every clean; the engine does not make such replacements, so the rule could never
/// apply. Rules that can run together are judged: those of one file, and the defaults
/// with every file.
fn replace_chains(files: &[RuleFile]) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for f in files {
        // Literal replacements: one built from groups is judged per replacement.
        let literal: Vec<(&Arc<Rule>, &String)> = (f.rules.iter())
            .filter_map(|r| match &r.action {
                Action::Replace(_, with) if load::group_refs(with).is_empty() => Some((r, with)),
                _ => None,
            })
            .collect();
        if literal.is_empty() {
            continue;
        }
        let together: Vec<Arc<Rule>> = (files.iter())
            .filter(|g| g.stem == f.stem || g.stem == DEFAULT_STEM || f.stem == DEFAULT_STEM)
            .flat_map(|g| g.rules.iter().cloned())
            .collect();
        for (a, with) in literal {
            let busy = engine::unsettled(with, &together);
            if busy.is_empty() {
                continue;
            }
            let names: Vec<String> = busy.iter().map(|id| format!("`{id}`")).collect();
            errors.push(Diagnostic {
                file: a.file.to_string(),
                line: a.line,
                col: 1,
                rule: Some(a.id.to_string()),
                message: format!(
                    "its replacement {with:?} never settles: {} keep rewriting it",
                    names.join(", ")
                ),
                hint: Some("replace with text the replace rules leave alone".into()),
            });
        }
    }
    errors
}

/// `path` without its leading `./` components, as site `paths` are matched and read.
pub(crate) fn without_dot(mut path: &Path) -> &Path {
    while let Ok(rest) = path.strip_prefix(".") {
        path = rest;
    }
    path
}

/// The host of a URL, lowercased, without `www.`; None when it names no host.
pub fn url_host(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    host_name(host.split(':').next()?)
}

/// `host` as hosts are compared: lowercase, without a leading `www.` or the trailing dot
/// of a fully qualified name. Site files' `hosts` are read the same way. None for what
/// names no host: empty, or with a scheme, port, path or space.
pub(crate) fn host_name(host: &str) -> Option<String> {
    let host = host.trim().to_ascii_lowercase();
    let host = host.strip_suffix('.').unwrap_or(&host);
    let host = host.strip_prefix("www.").unwrap_or(host);
    // `*` too: a host matches its subdomains without a wildcard.
    let bad = |c: char| c.is_whitespace() || matches!(c, '/' | ':' | '@' | '?' | '#' | '*');
    (!host.is_empty() && !host.starts_with('.') && !host.contains(bad)).then(|| host.into())
}

/// `host` is `pattern` or a subdomain of it.
fn host_matches(host: &str, pattern: &str) -> bool {
    host == pattern
        || host
            .strip_suffix(pattern)
            .is_some_and(|rest| rest.ends_with('.'))
}
