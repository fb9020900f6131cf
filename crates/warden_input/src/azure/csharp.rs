//! C# functions (in-process `[FunctionName("x")]` and isolated worker `[Function("x")]`), whose
//! triggers are parameter attributes: `[HttpTrigger(AuthorizationLevel.Anonymous, "get", "post",
//! Route = "orders/{id}")]`, `[QueueTrigger("q")]`, `[TimerTrigger("0 */5 * * * *")]`... An
//! `HttpTrigger` without a level requires a function key (the attribute's default, `Function`).

use super::decl::{
    AuthLevel, FunctionDecl, HttpDecl, attribute_trigger, binding_name, origin_at, str_node,
};
use super::expr::{self, Arg, Expr, Spanned, kwarg, positional};
use super::lex::{Lang, Token, tokenize};
use std::sync::Arc;
use warden_source::SourceFile;

/// True when a C# file uses the Azure Functions attributes.
pub fn is_candidate(text: &str) -> bool {
    text.contains("Microsoft.Azure.WebJobs") || text.contains("Microsoft.Azure.Functions")
}

struct Attribute {
    name: String,
    args: Vec<Arg>,
    start: usize,
    end: usize,
}

/// Reads the functions a C# file declares.
pub fn read(source: &SourceFile) -> Vec<FunctionDecl> {
    let file = source.path.clone();
    let toks = tokenize(&source.text, Lang::CSharp);
    let code_dir = super::decl::parent_dir(&file).to_string();
    let mut out: Vec<FunctionDecl> = Vec::new();
    let mut current: Option<FunctionDecl> = None;
    let mut i = 0;
    while i < toks.len() {
        if !toks[i].is_punct('[') {
            i += 1;
            continue;
        }
        let (attrs, next) = attribute_list(&toks, i);
        if attrs.is_empty() {
            i += 1;
            continue;
        }
        for a in attrs {
            match a.name.as_str() {
                "Function" | "FunctionName" => {
                    if let Some(done) = current.take() {
                        out.push(done);
                    }
                    let name = function_name(&toks, &a).unwrap_or_else(|| {
                        let line = source
                            .position(u32::try_from(a.start).unwrap_or(u32::MAX))
                            .line;
                        format!("function at line {line}")
                    });
                    let origin = origin_at(&file, a.start, a.end, format!("/{name}"));
                    current = Some(FunctionDecl {
                        name: name.clone(),
                        origin: origin.clone(),
                        handler: Some(str_node(name, origin)),
                        code_dir: code_dir.clone(),
                        runtime: Some("dotnet"),
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
                        let trigger =
                            attribute_trigger(&file, &f.name, n, binding_name(n), &a.args, origin);
                        f.triggers.push(trigger);
                    }
                }
                _ => {}
            }
        }
        i = next.max(i + 1);
    }
    out.extend(current);
    out.retain(|f| !f.http.is_empty() || !f.triggers.is_empty());
    out
}

/// Parses `[A(args), B, target: C(args)]` at `open`. Returns nothing when the bracket is not an
/// attribute list (an indexer, an array type).
fn attribute_list(toks: &[Token], open: usize) -> (Vec<Attribute>, usize) {
    let close = expr::skip_group(toks, open);
    // An attribute list ends with its own `]`; an unclosed bracket is not one (and parsing its
    // arguments to the end of the file at every such bracket would cost quadratic time).
    if close <= open + 1 || !toks.get(close - 1).is_some_and(|t| t.is_punct(']')) {
        return (Vec::new(), open + 1);
    }
    let mut out = Vec::new();
    let mut i = open + 1;
    // `[return: X]`, `[assembly: X]`
    if toks.get(i).and_then(Token::ident).is_some()
        && toks.get(i + 1).is_some_and(|t| t.is_punct(':'))
    {
        i += 2;
    }
    while i < close {
        let start = toks[i].start;
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
        let Some(name) = name else {
            return (Vec::new(), open + 1);
        };
        let name = name.strip_suffix("Attribute").unwrap_or(name).to_string();
        let (args, after) = if toks.get(i).is_some_and(|t| t.is_punct('(')) {
            expr::call_args(toks, i)
        } else {
            (Vec::new(), i)
        };
        let end = toks.get(after.saturating_sub(1)).map_or(start, |t| t.end);
        out.push(Attribute {
            name,
            args,
            start,
            end,
        });
        i = after;
        match toks.get(i) {
            Some(t) if t.is_punct(',') => i += 1,
            Some(t) if t.is_punct(']') => return (out, i + 1),
            _ => return (Vec::new(), open + 1),
        }
    }
    (out, close)
}

/// `[Function("x")]`, `[FunctionName(nameof(X))]`, `[Function(Name = "x")]`.
fn function_name(toks: &[Token], a: &Attribute) -> Option<String> {
    let v = positional(&a.args)
        .next()
        .or_else(|| kwarg(&a.args, "Name"))?;
    if let Some(s) = v.str() {
        return Some(s.to_string());
    }
    // nameof(X): the tokens inside the argument's span.
    let inner: Vec<&str> = toks
        .iter()
        .filter(|t| t.start >= v.start && t.end <= v.end)
        .filter_map(Token::ident)
        .collect();
    match inner.as_slice() {
        ["nameof", .., last] => Some((*last).to_string()),
        _ => None,
    }
}

fn http(file: &Arc<str>, name: &str, a: &Attribute) -> HttpDecl {
    let origin = origin_at(file, a.start, a.end, format!("/{name}/HttpTrigger"));
    let level = positional(&a.args)
        .chain(kwarg(&a.args, "AuthLevel"))
        .find(|v| matches!(&v.expr, Expr::Dotted(d) if d.contains("AuthorizationLevel.")));
    let (auth, auth_origin, implied_by) = match level {
        Some(v) => (
            AuthLevel::parse(v.last_segment().unwrap_or_default()),
            origin_at(
                file,
                v.start,
                v.end,
                format!("/{name}/HttpTrigger/AuthLevel"),
            ),
            None,
        ),
        None => (
            AuthLevel::Function,
            origin.clone(),
            Some("the default level of `HttpTrigger` (`Function`)".to_string()),
        ),
    };
    let methods = positional(&a.args)
        .filter_map(Spanned::str)
        .map(str::to_ascii_uppercase)
        .collect();
    let route = expr::route_arg(&a.args, "Route");
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

    fn read_text(text: &str) -> Vec<FunctionDecl> {
        read(&SourceFile::new("Fns/Orders.cs", text))
    }

    #[test]
    fn in_process_and_isolated_functions() {
        let d = read_text(
            r#"using Microsoft.Azure.WebJobs;
public static class Orders {
    [FunctionName("GetOrder")]
    public static IActionResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "orders/{id}")] HttpRequest req, int[] xs)
    { var y = xs[0]; return null; }

    [Function(nameof(Tick))]
    public void Tick([TimerTrigger("0 */5 * * * *")] TimerInfo t) {}

    [Function("Keyed")]
    [return: HttpResult]
    public HttpResponseData Keyed([HttpTrigger("get", Route = null)] HttpRequestData r) => null;
    // [FunctionName("Commented")] [HttpTrigger(AuthorizationLevel.Anonymous)]
}
"#,
        );
        assert_eq!(d.len(), 3);
        assert_eq!(d[0].name, "GetOrder");
        assert_eq!(d[0].http[0].auth, AuthLevel::Anonymous);
        assert_eq!(d[0].http[0].methods, ["GET", "POST"]);
        assert_eq!(d[0].http[0].route.as_deref(), Some("orders/{id}"));
        assert_eq!(d[1].name, "Tick");
        assert_eq!(d[1].triggers[0].binding, "timerTrigger");
        assert_eq!(d[2].http[0].auth, AuthLevel::Function);
        assert_eq!(d[2].http[0].route, None);
    }

    #[test]
    fn template_placeholders_are_unknown() {
        let d = read_text(
            "using Microsoft.Azure.WebJobs;\n[FunctionName(\"f\")] public static void Run([HttpTrigger(AuthorizationLevel.AuthLevelValue, \"get\")] HttpRequest r) {}",
        );
        assert!(matches!(d[0].http[0].auth, AuthLevel::Unknown(_)));
    }
}
