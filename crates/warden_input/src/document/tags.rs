//! YAML tags: CloudFormation short forms and the core schema's explicit types.
//!
//! `!Ref X` is CloudFormation's short form of `{Ref: X}`, `!Sub s` of `{"Fn::Sub": s}`, and so on;
//! [`classify`] maps a tag to the long-form key the tree builder wraps the value in. `!!str`,
//! `!!int`, ... force a scalar's type. Anything else is kept as an unknown tag (the value is kept,
//! the caller warns).

/// What a tag asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TagKind {
    /// A CloudFormation short form: wrap the value in a one-entry map under this key.
    Intrinsic(&'static str),
    /// `!!str` or the non-specific `!`: the scalar is a string.
    Str,
    /// `!!int` / `!!float`: the scalar is a number (kept as written).
    Num,
    /// `!!bool`.
    Bool,
    /// `!!null`.
    Null,
    /// `!!map`, `!!seq`: no effect.
    Collection,
    /// Anything else (`!Foo`, `!!binary`, `!!timestamp`, `%TAG` prefixes).
    Unknown,
}

/// The prefix `yaml-rust2` resolves the `!!` handle to.
pub(super) const CORE_PREFIX: &str = "tag:yaml.org,2002:";

/// Classifies a resolved tag (`handle` as `yaml-rust2` reports it, and `suffix`).
pub(super) fn classify(handle: &str, suffix: &str) -> TagKind {
    match handle {
        "!" => intrinsic(suffix).map_or(TagKind::Unknown, TagKind::Intrinsic),
        "" if suffix == "!" => TagKind::Str,
        CORE_PREFIX => match suffix {
            "str" => TagKind::Str,
            "int" | "float" => TagKind::Num,
            "bool" => TagKind::Bool,
            "null" => TagKind::Null,
            "map" | "seq" => TagKind::Collection,
            _ => TagKind::Unknown,
        },
        _ => TagKind::Unknown,
    }
}

/// The long-form key of a CloudFormation short-form tag name (`Ref`, `GetAtt`, ...).
pub(super) fn intrinsic(name: &str) -> Option<&'static str> {
    Some(match name {
        "Ref" => "Ref",
        "Condition" => "Condition",
        "GetAtt" => GET_ATT,
        "Sub" => "Fn::Sub",
        "Join" => "Fn::Join",
        "Select" => "Fn::Select",
        "Split" => "Fn::Split",
        "If" => "Fn::If",
        "Equals" => "Fn::Equals",
        "And" => "Fn::And",
        "Or" => "Fn::Or",
        "Not" => "Fn::Not",
        "FindInMap" => "Fn::FindInMap",
        "Base64" => "Fn::Base64",
        "Cidr" => "Fn::Cidr",
        "ImportValue" => "Fn::ImportValue",
        "GetAZs" => "Fn::GetAZs",
        "Transform" => "Fn::Transform",
        "Length" => "Fn::Length",
        "ToJsonString" => "Fn::ToJsonString",
        _ => return None,
    })
}

/// `Fn::GetAtt`, whose scalar short form `!GetAtt A.B` also splits into `[A, B]`.
pub(super) const GET_ATT: &str = "Fn::GetAtt";

/// How the tag is written in the source, when that can be known (to locate it).
pub(super) fn written(handle: &str, suffix: &str) -> Option<String> {
    match handle {
        "!" => Some(format!("!{suffix}")),
        CORE_PREFIX => Some(format!("!!{suffix}")),
        "" if suffix == "!" => Some("!".to_string()),
        _ => None,
    }
}

/// A readable form of a tag for warnings.
pub(super) fn display(handle: &str, suffix: &str) -> String {
    written(handle, suffix).unwrap_or_else(|| format!("!<{handle}{suffix}>"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_forms_and_core_tags_are_recognised() {
        assert_eq!(classify("!", "Ref"), TagKind::Intrinsic("Ref"));
        assert_eq!(classify("!", "GetAtt"), TagKind::Intrinsic("Fn::GetAtt"));
        assert_eq!(classify("!", "Condition"), TagKind::Intrinsic("Condition"));
        assert_eq!(classify("!", "ForEach"), TagKind::Unknown);
        assert_eq!(classify("!", "ref"), TagKind::Unknown);
        assert_eq!(classify(CORE_PREFIX, "str"), TagKind::Str);
        assert_eq!(classify(CORE_PREFIX, "binary"), TagKind::Unknown);
        assert_eq!(classify("", "!"), TagKind::Str);
        assert_eq!(display(CORE_PREFIX, "int"), "!!int");
        assert_eq!(
            display("tag:example.com,2000:", "x"),
            "!<tag:example.com,2000:x>"
        );
    }
}
