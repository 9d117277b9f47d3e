//! The rule file shown in the README loads and its examples pass, so the tutorial a user
//! copies from works.

use rinse::golden;
use rinse::rules::load::parse_file;

#[test]
fn readme_rule_file_is_valid_and_its_examples_pass() {
    let readme = include_str!("../README.md");
    let start = readme
        .find("# rules/sites/example.com.toml")
        .expect("sample rule file in README");
    let body = &readme[start..];
    let toml = &body[..body.find("```").expect("end of the code block")];
    let file = parse_file("example.com", "README.md", toml).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(file.rules.len(), 1);
    assert_eq!(file.rules[0].examples.len(), 1);
    let failure = golden::example(&file.rules[0], 0);
    assert!(failure.is_none(), "{failure:?}");
}
