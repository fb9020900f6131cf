//! Secrets never leave through any format: excerpts show the mask, free text is scrubbed.

use crate::fixture::{LONG_SECRET, SHORT_SECRET};
use crate::{fixture, render, render_with};
use warden_model::Category;
use warden_render::Format;

#[test]
fn no_format_prints_a_secret() {
    for format in Format::ALL {
        let out = render(format);
        assert!(!out.contains(LONG_SECRET), "{format} leaks the long secret");
        assert!(
            !out.contains(SHORT_SECRET),
            "{format} leaks the short secret"
        );
        // The first four characters are not enough to rebuild it, and they stay useful.
        assert!(
            !out.contains("sk_live"),
            "{format} shows more than four characters"
        );
    }
}

#[test]
fn excerpts_show_the_mask() {
    let pretty = render(Format::Pretty);
    assert!(pretty.contains("11 |           STRIPE_KEY: \"sk_l****\"\n"));
    assert!(pretty.contains("   |                       ^^^^^^^^^^\n"));
    assert!(pretty.contains("12 |           PIN: '****'\n"));
    let sarif = render(Format::Sarif);
    assert!(sarif.contains("\"text\": \"\\\"sk_l****\\\"\""));
    let json = render(Format::Json);
    assert!(json.contains("holds a Stripe live key (sk_l****)"));
}

#[test]
fn the_test_would_catch_a_leak() {
    // The same value under a non-secret category is shown as it is.
    let mut report = fixture::report();
    for f in &mut report.findings {
        if f.category == Category::Secret {
            f.category = Category::Config;
        }
    }
    let out = render_with(
        Format::Pretty,
        &report,
        &fixture::sources(),
        &fixture::options(),
    );
    assert!(out.contains(LONG_SECRET));
}
