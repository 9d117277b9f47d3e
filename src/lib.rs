//! rinse: clean scraped web text with rules.
//!
//! Flow: read -> decode -> normalize -> rules -> tidy -> write. The engine records one
//! [`Removal`] per change; explain, diff, report and test all read that record.
//!
//! Cleaning a page with the embedded default rules, and asking why each line went:
//!
//! ```
//! use rinse::rules::Sources;
//! use rinse::{Change, Cleaner, DocContext, RuleBook};
//!
//! let sources = Sources { dirs: vec![], defaults: true };
//! let cleaner = Cleaner::new(RuleBook::load(&sources).expect("the embedded rules load"));
//! let page = "Skip to main content\n\
//!     Rivers rise after a week of rain\n\
//!     \n\
//!     The river rose by two metres overnight, and the town council closed the lower \
//!     bridge to traffic until the water has gone down again.(opens in new tab)\n\
//!     \n\
//!     Residents near the bank were asked to move their cars to higher ground, and the \
//!     fire service has put sandbags along the main street since early this morning.\n";
//! let cleaned = cleaner.clean(page, &DocContext::default());
//! assert!(cleaned.text.starts_with("Rivers rise after a week of rain\n"));
//! assert!(!cleaned.text.contains("(opens in new tab)"));
//! assert!(cleaned.text.ends_with("along the main street since early this morning.\n"));
//! let first = &cleaned.removals[0];
//! assert_eq!((first.line, first.change), (1, Change::Drop));
//! println!("line {} removed by {}: {:?}", first.line, first.rule_id, first.text);
//! ```

pub mod clean;
pub mod diff;
pub mod document;
pub mod golden;
pub mod heuristics;
pub mod html;
pub mod input;
pub mod job;
pub mod jsonl;
pub mod lang;
pub mod normalize;
pub mod origin;
pub mod output;
pub mod quote;
pub mod rules;
pub mod run;
pub mod tidy;

pub use clean::{Cleaned, Cleaner, clean_with};
pub use document::{Change, Document, Kept, Removal, Score};
pub use rules::{DocContext, RuleBook};
