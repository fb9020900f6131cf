//! Snapshots of every format, and reproducibility.

use crate::{fixture, render, render_empty, render_with};
use warden_render::Format;

#[test]
fn snapshots_of_the_fixture_report() {
    for format in Format::ALL {
        insta::assert_snapshot!(format!("report_{format}"), render(format));
    }
}

#[test]
fn snapshots_of_an_empty_report() {
    for format in Format::ALL {
        insta::assert_snapshot!(format!("empty_{format}"), render_empty(format));
    }
}

#[test]
fn output_is_reproducible_and_independent_of_input_order() {
    let mut reversed = fixture::report();
    reversed.findings.reverse();
    reversed.errors.reverse();
    for format in Format::ALL {
        let once = render(format);
        assert_eq!(once, render(format), "{format} differs between runs");
        let other = render_with(format, &reversed, &fixture::sources(), &fixture::options());
        assert_eq!(once, other, "{format} depends on input order");
    }
}
