//! Properties of normalization on text full of what it changes: mojibake, C1 and C0
//! controls, odd spaces, references, every kind of line ending.

use proptest::prelude::*;
use rinse::normalize::{Settings, normalize_with};

/// Pieces that normalization reacts to, and plain text around them.
fn piece() -> impl Strategy<Value = String> {
    let fixed = prop::sample::select(vec![
        "HÃ´tel",
        "Ã©",
        "Ã ",
        "Ã\u{a0}",
        "â€œ",
        "â€\u{9d}",
        "â€™",
        "Ã¢â‚¬â„¢",
        "вЂњ",
        "Ð¿Ñ€Ð¸",
        "\u{93}",
        "\u{94}",
        "\u{85}",
        "\u{81}",
        "\u{1a}",
        "\u{1b}[31m",
        "\u{0}",
        "\u{7f}",
        "\u{a0}",
        "\u{200b}",
        "\u{feff}",
        "\u{2028}",
        "\u{2029}",
        "\r\n",
        "\r",
        "\n",
        "\t",
        "&amp;",
        "&amp;amp;",
        "&#8217;",
        "&#x2019;",
        "&eacute;",
        "&#10;",
        "&lt;b&gt;",
        "<",
        "&",
        "e\u{301}",
        "ﬁ",
        "ＬＯＵＤ",
        "“",
        "’",
        "�",
        "?",
        " ",
        "  ",
        "word",
        "Straße",
        "Привет",
        "日本語",
        "😀",
        "í\u{a0}",
        "Â",
        "Ã",
        "√π",
        "mГ©",
        "×²",
    ])
    .prop_map(str::to_string);
    prop_oneof![
        4 => fixed,
        1 => "[a-zA-Z ]{1,8}",
        1 => any::<char>().prop_map(String::from),
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..30).prop_map(|v| v.concat())
}

fn settings() -> impl Strategy<Value = Settings> {
    prop::collection::vec(any::<bool>(), 10).prop_map(|bits| {
        let mut s = Settings::default();
        for (info, on) in rinse::normalize::STEPS.iter().zip(bits) {
            s.set(info.step, on);
        }
        s
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn normalizing_twice_changes_nothing(t in text()) {
        let s = Settings::default();
        let once = normalize_with(&t, &s).text().to_string();
        let twice = normalize_with(&once, &s).text().to_string();
        prop_assert_eq!(&once, &twice, "input {:?}", t);
    }

    #[test]
    fn any_settings_are_idempotent_and_keep_lines(t in text(), s in settings()) {
        let n = normalize_with(&t, &s);
        let once = n.text().to_string();
        // Line steps never add or remove lines: line numbers stay valid.
        prop_assert_eq!(once.split('\n').count(), n.unified.split('\n').count());
        for r in &n.records {
            prop_assert!(r.line >= 1 && r.line <= once.split('\n').count());
            prop_assert!(r.rule_id.starts_with("normalize/"));
        }
        let twice = normalize_with(&once, &s).text().to_string();
        prop_assert_eq!(&once, &twice, "input {:?}", t);
    }

    #[test]
    fn text_with_nothing_to_do_is_borrowed(t in "[ -%'-~\n\t]{0,200}") {
        let n = normalize_with(&t, &Settings::default());
        prop_assert!(matches!(n.unified, std::borrow::Cow::Borrowed(_)));
        prop_assert!(n.changed.is_none());
    }
}
