//! The Warden rule catalog: one file per rule over the model.
