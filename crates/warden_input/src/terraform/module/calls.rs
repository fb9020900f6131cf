//! The value of a local module call, `module.NAME`: an object of the child module's outputs,
//! evaluated with the call's inputs; with `count` a list of such objects and with `for_each` a map
//! keyed like the `for_each` keys, each instance evaluated with its own `count.index` or `each`.
//! Outputs are cached per instance and output; a reference to an output being computed is
//! unknown ("depends on itself").

use super::repeat::Repeat;
use super::{Env, MAX_MODULE_DEPTH, ModuleDecl, src};
use crate::terraform::parse::ParsedFile;
use crate::terraform::scope::Scope;
use crate::terraform::values::{key, list, map, unknown};
use hcl_edit::Span;
use hcl_edit::structure::Block;
use warden_model::{Key, Node};
use warden_source::Origin;

impl<'a> Env<'a> {
    /// The value of `module.{call}`. `only` names the one output a reference reads
    /// (`module.x.out`, `module.x[0].out`, `module.x[*].out`): the instance objects then hold
    /// just that output, so the others are not evaluated.
    pub fn module_value(&self, call: &str, only: Option<&str>, o: &Origin) -> Node {
        let u = |reason: String| unknown(format!("module.{call}"), reason, o);
        let Some((_, file, block)) = self.decl.calls.iter().find(|(n, _, _)| n == call) else {
            return u(format!("module {call} is not declared"));
        };
        let Some(child) = self.child_decl(block) else {
            return u(format!("module {call} is not a local module; not fetched"));
        };
        if self.level + 1 > MAX_MODULE_DEPTH {
            return u("modules nested too deeply".into());
        }
        // `count`/`for_each` referring to the module itself.
        if !self.expanding.borrow_mut().insert(call.to_string()) {
            return u(format!(
                "the count or for_each of module {call} depends on itself"
            ));
        }
        let repeat = self.repeat(&block.body, file, &format!("module.{call}"));
        self.expanding.borrow_mut().remove(call);
        let mut names: Vec<&str> = match only {
            Some(n) => vec![n],
            None => child.outputs.keys().map(String::as_str).collect(),
        };
        names.sort_unstable();
        let bo = src(file).origin(block.span(), &format!("module.{call}"));
        let call = Call {
            name: call,
            file,
            block,
            child,
        };
        match repeat {
            Repeat::Once => self.instance_outputs(&call, "", None, &names, &bo),
            Repeat::Count(instances) => list(
                instances
                    .iter()
                    .map(|i| self.instance_outputs(&call, &i.suffix, Some(&i.scope), &names, &bo))
                    .collect(),
                &bo,
            ),
            Repeat::ForEach(instances) => map(
                instances
                    .iter()
                    .map(|i| {
                        let v =
                            self.instance_outputs(&call, &i.suffix, Some(&i.scope), &names, &bo);
                        (key(i.key.clone(), &bo), v)
                    })
                    .collect(),
                &bo,
            ),
            Repeat::Unknown { reason, cause, .. } => {
                let cause = cause.map(|c| format!(" ({c})")).unwrap_or_default();
                u(format!(
                    "module {} is repeated and its {reason}{cause}; outputs not followed",
                    call.name
                ))
            }
        }
    }

    /// The object of outputs `names` of one instance (`suffix`: `""`, `[0]`, `["k"]`) of a call.
    fn instance_outputs(
        &self,
        call: &Call<'_, 'a>,
        suffix: &str,
        scope: Option<&Scope<'_>>,
        names: &[&str],
        o: &Origin,
    ) -> Node {
        let cache_key = |n: &str| format!("{}{suffix}.{n}", call.name);
        let missing: Vec<&str> = {
            let cache = self.outputs.borrow();
            names
                .iter()
                .copied()
                .filter(|n| !cache.contains_key(&cache_key(n)))
                .collect()
        };
        if !missing.is_empty() {
            let address = format!("module.{}{suffix}", call.name);
            for n in &missing {
                self.outputs.borrow_mut().insert(
                    cache_key(n),
                    unknown(
                        format!("{address}.{n}"),
                        format!("output {n} depends on itself"),
                        o,
                    ),
                );
            }
            let inputs = self.module_inputs(call.file, call.block, call.name, scope);
            let env = Env::new(
                self.world,
                call.child,
                format!("{}{address}.", self.prefix),
                inputs,
                self.level + 1,
            );
            for n in missing {
                let value = match call.child.outputs.get(n) {
                    Some((f, b)) => match b.body.get_attribute("value") {
                        Some(a) => env.expr(&a.value, src(f), &format!("output.{n}"), None),
                        None => unknown(
                            format!("{address}.{n}"),
                            format!("output {n} has no value"),
                            o,
                        ),
                    },
                    None => unknown(
                        format!("{address}.{n}"),
                        format!("module {} has no output {n}", call.name),
                        o,
                    ),
                };
                self.outputs.borrow_mut().insert(cache_key(n), value);
            }
        }
        let cache = self.outputs.borrow();
        let entries: Vec<(Key, Node)> = names
            .iter()
            .filter_map(|n| {
                let v = cache.get(&cache_key(n))?.clone();
                let ko = call.child.outputs.get(*n).map_or_else(
                    || o.clone(),
                    |(f, b)| src(f).origin(b.span(), &format!("output.{n}")),
                );
                Some((key(*n, &ko), v))
            })
            .collect();
        map(entries, o)
    }
}

/// A `module` block and the module it calls.
struct Call<'c, 'a> {
    name: &'c str,
    file: &'a ParsedFile,
    block: &'a Block,
    child: &'a ModuleDecl<'a>,
}
