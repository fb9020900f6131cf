//! Java functions (`com.microsoft.azure.functions`): a method annotated `@FunctionName("x")` whose
//! parameters carry the trigger annotation: `@HttpTrigger(name = "req", methods =
//! {HttpMethod.GET}, authLevel = AuthorizationLevel.ANONYMOUS, route = "orders/{id}")`,
//! `@QueueTrigger(…)`, `@TimerTrigger(…)`... An `@HttpTrigger` without `authLevel` requires a
//! function key (the annotation's default, `FUNCTION`).

use super::decl::{
    AuthLevel, FunctionDecl, HttpDecl, attribute_trigger, binding_name, origin_at, str_node,
};
use super::expr::{self, Arg, Expr, Spanned, kwarg, positional};
use super::lex::{Lang, Token, tokenize};
use std::sync::Arc;
use warden_source::SourceFile;

/// True when a Java file uses the Azure Functions annotations.
pub fn is_candidate(text: &str) -> bool {
    text.contains("com.microsoft.azure.functions")
}

struct Annotation {
    name: String,
    args: Vec<Arg>,
    start: usize,
    end: usize,
}

/// `@Name` or `@Name(args)` at `at` (the `@`), and the index after it.
fn annotation(toks: &[Token], at: usize) -> Option<(Annotation, usize)> {
    let mut i = at + 1;
    let mut name = None;
    while let Some(id) = toks.get(i).and_then(Token::ident) {
        name = Some(id);
        if toks.get(i + 1).is_some_and(|t| t.is_punct('.')) {
            i += 2;
        } else {
            i += 1;
            break;
        }
    }
    let name = name?.to_string();
    let (args, after) = if toks.get(i).is_some_and(|t| t.is_punct('(')) {
        expr::call_args(toks, i)
    } else {
        (Vec::new(), i)
    };
    let start = toks[at].start;
    let end = toks.get(after.saturating_sub(1)).map_or(start, |t| t.end);
    Some((
        Annotation {
            name,
            args,
            start,
            end,
        },
        after,
    ))
}

/// Reads the functions a Java file declares.
pub fn read(source: &SourceFile) -> Vec<FunctionDecl> {
    let file = source.path.clone();
    // Java's comments and strings are C#'s (without verbatim strings, which never start a Java
    // token sequence).
    let toks = tokenize(&source.text, Lang::CSharp);
    let code_dir = super::decl::parent_dir(&file).to_string();
    let mut out: Vec<FunctionDecl> = Vec::new();
    let mut current: Option<FunctionDecl> = None;
    let mut i = 0;
    while i < toks.len() {
        if !toks[i].is_punct('@') {
            i += 1;
            continue;
        }
        let Some((a, next)) = annotation(&toks, i) else {
            i += 1;
            continue;
        };
        match a.name.as_str() {
            "FunctionName" => {
                out.extend(current.take());
                let name = kwarg(&a.args, "value")
                    .or_else(|| positional(&a.args).next())
                    .and_then(Spanned::str)
                    .map_or_else(
                        || {
                            let line = source
                                .position(u32::try_from(a.start).unwrap_or(u32::MAX))
                                .line;
                            format!("function at line {line}")
                        },
                        str::to_string,
                    );
                let origin = origin_at(&file, a.start, a.end, format!("/{name}"));
                current = Some(FunctionDecl {
                    name: name.clone(),
                    origin: origin.clone(),
                    handler: Some(str_node(name, origin)),
                    code_dir: code_dir.clone(),
                    runtime: Some("java"),
                    http: Vec::new(),
                    triggers: Vec::new(),
                });
            }
            "HttpTrigger" => {
                if let Some(f) = current.as_mut() {
                    f.http.push(http(&file, &f.name, &a));
                }
            }
            n if n.ends_with("Trigger") => {
                if let Some(f) = current.as_mut() {
                    let origin = origin_at(&file, a.start, a.end, format!("/{}/{n}", f.name));
                    let binding = match n {
                        "ServiceBusQueueTrigger" | "ServiceBusTopicTrigger" => {
                            "serviceBusTrigger".to_string()
                        }
                        _ => binding_name(n),
                    };
                    let trigger = attribute_trigger(&file, &f.name, n, binding, &a.args, origin);
                    f.triggers.push(trigger);
                }
            }
            _ => {}
        }
        i = next.max(i + 1);
    }
    out.extend(current);
    out.retain(|f| !f.http.is_empty() || !f.triggers.is_empty());
    out
}

fn http(file: &Arc<str>, name: &str, a: &Annotation) -> HttpDecl {
    let origin = origin_at(file, a.start, a.end, format!("/{name}/HttpTrigger"));
    let (auth, auth_origin, implied_by) = match kwarg(&a.args, "authLevel") {
        Some(v) => (
            match v.last_segment() {
                Some(seg) => AuthLevel::parse(seg),
                None => AuthLevel::Unknown(v.str().unwrap_or("an expression").to_string()),
            },
            origin_at(
                file,
                v.start,
                v.end,
                format!("/{name}/HttpTrigger/authLevel"),
            ),
            None,
        ),
        None => (
            AuthLevel::Function,
            origin.clone(),
            Some("the default `authLevel` of `@HttpTrigger` (`FUNCTION`)".to_string()),
        ),
    };
    let methods = match kwarg(&a.args, "methods").map(|m| &m.expr) {
        Some(Expr::List(items)) => items
            .iter()
            .filter_map(|m| m.last_segment().or_else(|| m.str()))
            .map(str::to_ascii_uppercase)
            .collect(),
        Some(_) => Vec::new(),
        None => Vec::new(),
    };
    let route = expr::route_arg(&a.args, "route");
    HttpDecl {
        auth,
        auth_origin,
        implied_by,
        inherits_app_level: false,
        route,
        methods,
        origin,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annotated_functions() {
        let d = read(&SourceFile::new(
            "src/main/java/com/orders/Function.java",
            r#"package com.orders;
import com.microsoft.azure.functions.*;
import com.microsoft.azure.functions.annotation.*;

public class Function {
    @FunctionName("GetOrder")
    public HttpResponseMessage run(
            @HttpTrigger(name = "req", methods = {HttpMethod.GET, HttpMethod.POST},
                authLevel = AuthorizationLevel.ANONYMOUS, route = "orders/{id}")
            HttpRequestMessage<Optional<String>> request,
            final ExecutionContext context) {
        return request.createResponseBuilder(HttpStatus.OK).build();
    }

    @FunctionName("Keyed")
    public HttpResponseMessage keyed(@HttpTrigger(name = "req") HttpRequestMessage<String> r) {
        // @HttpTrigger(authLevel = AuthorizationLevel.ANONYMOUS) in a comment
        return null;
    }

    @FunctionName("Tick")
    public void tick(@TimerTrigger(name = "t", schedule = "0 */5 * * * *") String timerInfo) {}
}
"#,
        ));
        assert_eq!(d.len(), 3);
        assert_eq!(d[0].name, "GetOrder");
        assert_eq!(d[0].http[0].auth, AuthLevel::Anonymous);
        assert_eq!(d[0].http[0].methods, ["GET", "POST"]);
        assert_eq!(d[0].http[0].route.as_deref(), Some("orders/{id}"));
        assert_eq!(d[1].http[0].auth, AuthLevel::Function);
        assert_eq!(d[2].triggers[0].binding, "timerTrigger");
    }
}
