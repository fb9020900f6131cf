//! The `Condition` element: operators (with `…IfExists` and `ForAnyValue:`/`ForAllValues:`),
//! keys, and values compiled for their operator. Evaluation lives in `crate::condition`.

use super::PolicyError;
use super::parse::{err, scalar};
use crate::arn::ArnPattern;
use crate::ip::Cidr;
use crate::pattern::Glob;
use crate::template::Template;
use serde_json::Value;

/// A condition operator without its modifiers.
#[allow(missing_docs)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BaseOp {
    StringEquals,
    StringNotEquals,
    StringEqualsIgnoreCase,
    StringNotEqualsIgnoreCase,
    StringLike,
    StringNotLike,
    NumericEquals,
    NumericNotEquals,
    NumericLessThan,
    NumericLessThanEquals,
    NumericGreaterThan,
    NumericGreaterThanEquals,
    DateEquals,
    DateNotEquals,
    DateLessThan,
    DateLessThanEquals,
    DateGreaterThan,
    DateGreaterThanEquals,
    Bool,
    BinaryEquals,
    IpAddress,
    NotIpAddress,
    ArnEquals,
    ArnLike,
    ArnNotEquals,
    ArnNotLike,
    Null,
}

/// The value family an operator compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// Strings.
    String,
    /// Numbers.
    Numeric,
    /// Dates.
    Date,
    /// Booleans.
    Bool,
    /// Base64 binary.
    Binary,
    /// IP addresses.
    Ip,
    /// ARNs.
    Arn,
    /// Key presence.
    Null,
}

const OPS: [(&str, BaseOp); 27] = [
    ("StringEquals", BaseOp::StringEquals),
    ("StringNotEquals", BaseOp::StringNotEquals),
    ("StringEqualsIgnoreCase", BaseOp::StringEqualsIgnoreCase),
    (
        "StringNotEqualsIgnoreCase",
        BaseOp::StringNotEqualsIgnoreCase,
    ),
    ("StringLike", BaseOp::StringLike),
    ("StringNotLike", BaseOp::StringNotLike),
    ("NumericEquals", BaseOp::NumericEquals),
    ("NumericNotEquals", BaseOp::NumericNotEquals),
    ("NumericLessThan", BaseOp::NumericLessThan),
    ("NumericLessThanEquals", BaseOp::NumericLessThanEquals),
    ("NumericGreaterThan", BaseOp::NumericGreaterThan),
    ("NumericGreaterThanEquals", BaseOp::NumericGreaterThanEquals),
    ("DateEquals", BaseOp::DateEquals),
    ("DateNotEquals", BaseOp::DateNotEquals),
    ("DateLessThan", BaseOp::DateLessThan),
    ("DateLessThanEquals", BaseOp::DateLessThanEquals),
    ("DateGreaterThan", BaseOp::DateGreaterThan),
    ("DateGreaterThanEquals", BaseOp::DateGreaterThanEquals),
    ("Bool", BaseOp::Bool),
    ("BinaryEquals", BaseOp::BinaryEquals),
    ("IpAddress", BaseOp::IpAddress),
    ("NotIpAddress", BaseOp::NotIpAddress),
    ("ArnEquals", BaseOp::ArnEquals),
    ("ArnLike", BaseOp::ArnLike),
    ("ArnNotEquals", BaseOp::ArnNotEquals),
    ("ArnNotLike", BaseOp::ArnNotLike),
    ("Null", BaseOp::Null),
];

impl BaseOp {
    /// Every operator name.
    pub fn all_names() -> impl Iterator<Item = &'static str> {
        OPS.iter().map(|(n, _)| *n)
    }

    /// Looks an operator up by name (case-insensitive).
    pub fn from_name(name: &str) -> Option<BaseOp> {
        OPS.iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, o)| *o)
    }

    /// The operator's name.
    pub fn name(self) -> &'static str {
        OPS.iter().find(|(_, o)| *o == self).map_or("", |(n, _)| n)
    }

    /// True for the negated operators (`StringNotEquals`, `NotIpAddress`, …), which hold when
    /// the key is absent.
    pub fn negated(self) -> bool {
        use BaseOp::*;
        matches!(
            self,
            StringNotEquals
                | StringNotEqualsIgnoreCase
                | StringNotLike
                | NumericNotEquals
                | DateNotEquals
                | NotIpAddress
                | ArnNotEquals
                | ArnNotLike
        )
    }

    /// The value family compared.
    pub fn family(self) -> Family {
        use BaseOp::*;
        match self {
            StringEquals
            | StringNotEquals
            | StringEqualsIgnoreCase
            | StringNotEqualsIgnoreCase
            | StringLike
            | StringNotLike => Family::String,
            NumericEquals
            | NumericNotEquals
            | NumericLessThan
            | NumericLessThanEquals
            | NumericGreaterThan
            | NumericGreaterThanEquals => Family::Numeric,
            DateEquals
            | DateNotEquals
            | DateLessThan
            | DateLessThanEquals
            | DateGreaterThan
            | DateGreaterThanEquals => Family::Date,
            Bool => Family::Bool,
            BinaryEquals => Family::Binary,
            IpAddress | NotIpAddress => Family::Ip,
            ArnEquals | ArnLike | ArnNotEquals | ArnNotLike => Family::Arn,
            Null => Family::Null,
        }
    }
}

/// `ForAnyValue:` / `ForAllValues:` or neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SetOp {
    /// Single-valued comparison.
    None,
    /// At least one request value must match.
    ForAnyValue,
    /// Every request value must match (vacuously true for an absent or empty key).
    ForAllValues,
}

/// A full operator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operator {
    /// As written.
    pub raw: String,
    /// Base operator.
    pub base: BaseOp,
    /// Set modifier.
    pub set: SetOp,
    /// `…IfExists` suffix.
    pub if_exists: bool,
}

impl Operator {
    /// Parses `ForAnyValue:StringLikeIfExists` and friends.
    pub fn parse(raw: &str) -> Option<Operator> {
        let (set, rest) = match raw.split_once(':') {
            Some((p, r)) if p.eq_ignore_ascii_case("ForAnyValue") => (SetOp::ForAnyValue, r),
            Some((p, r)) if p.eq_ignore_ascii_case("ForAllValues") => (SetOp::ForAllValues, r),
            Some(_) => return None,
            None => (SetOp::None, raw),
        };
        let (base, if_exists) = match BaseOp::from_name(rest) {
            Some(b) => (b, false),
            None => {
                let cut = rest.len().checked_sub("IfExists".len())?;
                let (head, tail) = (rest.get(..cut)?, rest.get(cut..)?);
                if !tail.eq_ignore_ascii_case("IfExists") {
                    return None;
                }
                let b = BaseOp::from_name(head)?;
                if b == BaseOp::Null {
                    return None;
                }
                (b, true)
            }
        };
        Some(Operator {
            raw: raw.to_owned(),
            base,
            set,
            if_exists,
        })
    }
}

/// A value compiled for its operator's family.
#[derive(Debug, Clone, PartialEq)]
pub enum Compiled {
    /// Exact string.
    Str(String),
    /// Lower-cased string.
    Lower(String),
    /// `StringLike` pattern.
    Glob(Glob),
    /// ARN pattern.
    Arn(ArnPattern),
    /// Number (`None` if unparseable).
    Num(Option<f64>),
    /// Date in epoch seconds (`None` if unparseable).
    Date(Option<f64>),
    /// Boolean (`None` if neither true nor false).
    Bool(Option<bool>),
    /// CIDR block (`None` if unparseable).
    Ip(Option<Cidr>),
}

impl Eq for Compiled {}

impl Compiled {
    /// Compiles `text` for `op`.
    pub fn new(op: BaseOp, text: &str) -> Compiled {
        use BaseOp::*;
        match op {
            StringEquals | StringNotEquals | BinaryEquals => Compiled::Str(text.to_owned()),
            StringEqualsIgnoreCase | StringNotEqualsIgnoreCase => {
                Compiled::Lower(text.to_lowercase())
            }
            StringLike | StringNotLike => Compiled::Glob(Glob::new(text)),
            ArnEquals | ArnLike | ArnNotEquals | ArnNotLike => Compiled::Arn(ArnPattern::new(text)),
            Bool | Null => Compiled::Bool(parse_bool(text)),
            IpAddress | NotIpAddress => Compiled::Ip(Cidr::parse(text)),
            _ if op.family() == Family::Numeric => {
                Compiled::Num(text.trim().parse::<f64>().ok().filter(|v| v.is_finite()))
            }
            _ => Compiled::Date(crate::date::parse_date(text)),
        }
    }

    /// Compiles pattern characters (a resolved template) for `op`.
    pub fn from_template(
        op: BaseOp,
        t: &Template,
        ctx: &crate::request::Context,
    ) -> Option<Compiled> {
        match op.family() {
            Family::String if matches!(op, BaseOp::StringLike | BaseOp::StringNotLike) => {
                let mut chars = Vec::new();
                t.resolve_chars(ctx, true, &mut chars)?;
                Some(Compiled::Glob(Glob::from_chars(&chars)))
            }
            Family::Arn => {
                let mut chars = Vec::new();
                t.resolve_chars(ctx, true, &mut chars)?;
                Some(Compiled::Arn(ArnPattern::from_chars(&chars)))
            }
            _ => Some(Compiled::new(op, &t.resolve_string(ctx)?)),
        }
    }
}

fn parse_bool(s: &str) -> Option<bool> {
    if s.eq_ignore_ascii_case("true") {
        Some(true)
    } else if s.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// One value of a clause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CondValue {
    /// As written (JSON numbers and booleans in their text form).
    pub raw: String,
    /// Compiled form (of the raw text).
    pub compiled: Compiled,
    /// Present when the value uses policy variables.
    pub template: Option<Template>,
}

/// One `operator → key → values` clause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionClause {
    /// The operator.
    pub operator: Operator,
    /// The key as written.
    pub key: String,
    /// The key lower-cased (context lookups).
    pub key_lower: String,
    /// The values (any may match).
    pub values: Vec<CondValue>,
}

pub(super) fn parse_condition_block(
    v: &Value,
    path: &str,
    vars: bool,
) -> Result<Vec<ConditionClause>, PolicyError> {
    let ops = v
        .as_object()
        .ok_or_else(|| err(path, "`Condition` must be an object"))?;
    let mut out = Vec::new();
    for (op_name, keys) in ops {
        let op_path = format!("{path}/{op_name}");
        let op = Operator::parse(op_name)
            .ok_or_else(|| err(&op_path, format!("unknown condition operator `{op_name}`")))?;
        let keys = keys
            .as_object()
            .ok_or_else(|| err(&op_path, "expected an object of condition keys"))?;
        for (key, vals) in keys {
            let kp = format!("{op_path}/{key}");
            let raw: Vec<String> = match vals {
                Value::Array(items) => items
                    .iter()
                    .enumerate()
                    .map(|(i, x)| {
                        scalar(x).ok_or_else(|| err(&format!("{kp}/{i}"), "expected a string"))
                    })
                    .collect::<Result<_, _>>()?,
                other => vec![
                    scalar(other)
                        .ok_or_else(|| err(&kp, "expected a string or a list of strings"))?,
                ],
            };
            let values = raw
                .into_iter()
                .map(|r| CondValue {
                    compiled: Compiled::new(op.base, &r),
                    template: if vars && op.base != BaseOp::Null {
                        Template::parse(&r)
                    } else {
                        None
                    },
                    raw: r,
                })
                .collect();
            out.push(ConditionClause {
                operator: op.clone(),
                key: key.clone(),
                key_lower: key.to_ascii_lowercase(),
                values,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operator_names() {
        let o = Operator::parse("ForAllValues:StringLikeIfExists").unwrap();
        assert_eq!(
            (o.base, o.set, o.if_exists),
            (BaseOp::StringLike, SetOp::ForAllValues, true)
        );
        let o = Operator::parse("StringEquals").unwrap();
        assert_eq!(
            (o.base, o.set, o.if_exists),
            (BaseOp::StringEquals, SetOp::None, false)
        );
        assert!(Operator::parse("NullIfExists").is_none());
        assert!(Operator::parse("StringSort").is_none());
        assert!(Operator::parse("ForSomeValues:StringEquals").is_none());
        assert!(Operator::parse("IfExists").is_none());
        assert_eq!(BaseOp::all_names().count(), 27);
    }
}
