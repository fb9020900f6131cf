//! Lockfile parsing, OSV advisory index and per-ecosystem version matching.
