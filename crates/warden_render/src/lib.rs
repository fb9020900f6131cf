//! Warden output formats: pretty, json, sarif, github, junit.
