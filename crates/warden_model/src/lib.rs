//! The normalised serverless application model.
