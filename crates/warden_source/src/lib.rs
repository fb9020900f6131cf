//! Files, spans, line index and origins shared by every Warden crate.
