//! rinse: clean scraped web text with rules.
//!
//! Flow: read -> decode -> normalize -> rules -> tidy -> write. The engine records one
//! [`Removal`] per change; explain, diff, report and test all read that record.

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
pub mod rules;
pub mod run;
pub mod tidy;

pub use clean::{Cleaned, Cleaner, clean_with};
pub use document::{Change, Document, Kept, Removal, Score};
pub use rules::{DocContext, RuleBook};
