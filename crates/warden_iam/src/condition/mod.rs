//! Condition evaluation with AWS's documented semantics:
//!
//! * values of one key are OR-ed, keys and operators are AND-ed (the caller ANDs clauses);
//! * a missing key makes a positive operator false and a negated operator (`StringNotEquals`,
//!   `NotIpAddress`, …) true; `…IfExists` makes any operator true on a missing key;
//! * `ForAnyValue:` is false on a missing or empty key (`IfExists` does not change that),
//!   `ForAllValues:` is true on one;
//! * a policy value whose variable has no value in the context matches nothing, and a negated
//!   operator with such a value does not hold;
//! * `Null: true` holds when the key is absent, `Null: false` when it is present;
//! * a multi-valued key used without a set operator never satisfies the clause (AWS requires a
//!   set operator for multi-valued keys).

use crate::arn::split_arn;
use crate::policy::{BaseOp, Compiled, ConditionClause, SetOp};
use crate::request::Context;

impl ConditionClause {
    /// Evaluates the clause against the request context.
    pub fn evaluate(&self, ctx: &Context) -> bool {
        let op = &self.operator;
        let present = ctx.get(&self.key_lower);
        if op.base == BaseOp::Null {
            let absent = present.is_none();
            return self
                .values
                .iter()
                .any(|v| matches!(v.compiled, Compiled::Bool(Some(b)) if b == absent));
        }
        let negated = op.base.negated();
        let Some(value) = present else {
            return match op.set {
                SetOp::ForAllValues => true,
                SetOp::ForAnyValue => false,
                SetOp::None => op.if_exists || negated,
            };
        };
        // A value whose policy variable has no value in the context matches nothing: it cannot
        // satisfy a positive operator, and a negated operator cannot hold while it is unknown.
        let mut all_resolved = true;
        let resolved: Option<Vec<Option<Compiled>>> =
            self.values.iter().any(|v| v.template.is_some()).then(|| {
                self.values
                    .iter()
                    .map(|v| match &v.template {
                        Some(t) => {
                            let c = Compiled::from_template(op.base, t, ctx);
                            all_resolved &= c.is_some();
                            c
                        }
                        None => Some(v.compiled.clone()),
                    })
                    .collect()
            });
        if negated && !all_resolved {
            return false;
        }
        let vals = value.values();
        // Does one request value match any policy value under the positive form of the operator?
        let hit = |c: &str| match &resolved {
            Some(r) => r.iter().flatten().any(|p| compiled_matches(op.base, p, c)),
            None => self
                .values
                .iter()
                .any(|v| compiled_matches(op.base, &v.compiled, c)),
        };
        match op.set {
            // A multi-valued key needs a set operator: without one the clause does not hold.
            SetOp::None if value.is_multi() => false,
            SetOp::None => vals.iter().any(|c| hit(c)) != negated,
            SetOp::ForAnyValue => vals.iter().any(|c| hit(c) != negated),
            SetOp::ForAllValues => vals.iter().all(|c| hit(c) != negated),
        }
    }
}

/// The positive comparison of one request value with one policy value.
fn compiled_matches(op: BaseOp, c: &Compiled, s: &str) -> bool {
    match c {
        Compiled::Str(p) => p == s,
        Compiled::Lower(p) => *p == s.to_lowercase(),
        Compiled::Glob(g) => g.matches(s),
        Compiled::Arn(a) => match split_arn(s) {
            Some(f) => a.matches(s, Some(&f)),
            None => false,
        },
        Compiled::Bool(Some(b)) => s.eq_ignore_ascii_case(if *b { "true" } else { "false" }),
        Compiled::Bool(None) => false,
        Compiled::Ip(Some(cidr)) => cidr.contains_str(s),
        Compiled::Ip(None) => false,
        Compiled::Num(Some(p)) => match s.trim().parse::<f64>() {
            Ok(x) => cmp(op, x, *p),
            Err(_) => false,
        },
        Compiled::Date(Some(p)) => match crate::date::parse_date(s) {
            Some(x) => cmp(op, x, *p),
            None => false,
        },
        Compiled::Num(None) | Compiled::Date(None) => false,
    }
}

/// Numeric/date comparison of request value `x` with policy value `p` (positive form).
fn cmp(op: BaseOp, x: f64, p: f64) -> bool {
    use BaseOp::*;
    match op {
        NumericEquals | NumericNotEquals | DateEquals | DateNotEquals => x == p,
        NumericLessThan | DateLessThan => x < p,
        NumericLessThanEquals | DateLessThanEquals => x <= p,
        NumericGreaterThan | DateGreaterThan => x > p,
        NumericGreaterThanEquals | DateGreaterThanEquals => x >= p,
        _ => false,
    }
}
