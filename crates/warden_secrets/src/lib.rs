//! Secret detection: keyword prefilter, value shapes, entropy, allowlists.
