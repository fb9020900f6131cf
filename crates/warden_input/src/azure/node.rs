//! The Node.js v4 programming model: functions registered on `app` from `@azure/functions`:
//! `app.http('name', { authLevel, route, methods, handler })`, the method shortcuts
//! `app.get`/`post`/`put`/`patch`/`deleteRequest`, and `app.timer`, `app.storageQueue`,
//! `app.storageBlob`, `app.serviceBusQueue`/`Topic`, `app.eventHub`, `app.eventGrid`,
//! `app.cosmosDB`... In this model `authLevel` defaults to `anonymous` and `methods` to GET and
//! POST.

use super::decl::{AuthLevel, FunctionDecl, HttpDecl, TriggerDecl, map_node, origin_at, str_node};
use super::expr::{self, Expr, Spanned, positional};
use super::lex::{Lang, tokenize};
use warden_source::SourceFile;

/// True when a JavaScript/TypeScript file uses the v4 library.
pub fn is_candidate(text: &str) -> bool {
    text.contains("@azure/functions")
}

/// The trigger binding of an `app.<method>` registration, and the HTTP method of a shortcut.
enum Registration {
    Http(Option<&'static str>),
    Trigger(&'static str),
}

fn registration(method: &str) -> Option<Registration> {
    use Registration::{Http, Trigger};
    Some(match method {
        "http" => Http(None),
        "get" => Http(Some("GET")),
        "post" => Http(Some("POST")),
        "put" => Http(Some("PUT")),
        "patch" => Http(Some("PATCH")),
        "deleteRequest" => Http(Some("DELETE")),
        "timer" => Trigger("timerTrigger"),
        "storageQueue" => Trigger("queueTrigger"),
        "storageBlob" => Trigger("blobTrigger"),
        "serviceBusQueue" | "serviceBusTopic" => Trigger("serviceBusTrigger"),
        "eventHub" => Trigger("eventHubTrigger"),
        "eventGrid" => Trigger("eventGridTrigger"),
        "cosmosDB" => Trigger("cosmosDBTrigger"),
        "sql" => Trigger("sqlTrigger"),
        "mySql" => Trigger("mysqlTrigger"),
        "webPubSub" => Trigger("webPubSubTrigger"),
        "warmup" => Trigger("warmupTrigger"),
        _ => return None,
    })
}

/// Reads the functions a JavaScript/TypeScript file registers.
pub fn read(source: &SourceFile) -> Vec<FunctionDecl> {
    let file = source.path.clone();
    let toks = tokenize(&source.text, Lang::Js);
    let code_dir = super::decl::parent_dir(&file).to_string();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 3 < toks.len() {
        let is_call = toks[i].ident() == Some("app")
            && !(i > 0 && toks[i - 1].is_punct('.'))
            && toks[i + 1].is_punct('.')
            && toks[i + 3].is_punct('(');
        let reg = toks[i + 2].ident().and_then(registration);
        let (true, Some(reg)) = (is_call, reg) else {
            i += 1;
            continue;
        };
        let method = toks[i + 2].ident().unwrap_or_default().to_string();
        let (args, close) = expr::call_args(&toks, i + 3);
        let start = toks[i].start;
        let end = toks.get(close.saturating_sub(1)).map_or(start, |t| t.end);
        let pos: Vec<&Spanned> = positional(&args).collect();
        let name = match pos.first().and_then(|n| n.str()) {
            Some(n) => n.to_string(),
            None => {
                let line = source
                    .position(u32::try_from(start).unwrap_or(u32::MAX))
                    .line;
                format!("function at line {line}")
            }
        };
        let options = pos.get(1).copied();
        let origin = origin_at(&file, start, end, format!("/{name}"));
        let handler = options
            .and_then(|o| o.field("handler"))
            .or_else(|| {
                // `app.get('x', handler)`: the method shortcuts take a handler directly.
                let shortcut = matches!(reg, Registration::Http(Some(_)));
                options.filter(|o| shortcut && !matches!(o.expr, Expr::Object(_)))
            })
            .and_then(|h| match &h.expr {
                Expr::Dotted(d) => Some(str_node(
                    d.clone(),
                    origin_at(&file, h.start, h.end, format!("/{name}/handler")),
                )),
                _ => None,
            });
        let mut decl = FunctionDecl {
            name: name.clone(),
            origin: origin.clone(),
            handler,
            code_dir: code_dir.clone(),
            runtime: Some("node"),
            http: Vec::new(),
            triggers: Vec::new(),
        };
        match reg {
            Registration::Http(shortcut) => decl
                .http
                .push(http(source, &name, options, shortcut, origin)),
            Registration::Trigger(binding) => {
                let props = options
                    .map(|o| match &o.expr {
                        Expr::Object(entries) => entries
                            .iter()
                            .filter_map(|(k, _, v)| {
                                let o = origin_at(&file, v.start, v.end, format!("/{name}/{k}"));
                                Some((k.as_str(), str_node(v.str()?, o)))
                            })
                            .collect(),
                        _ => Vec::new(),
                    })
                    .unwrap_or_default();
                decl.triggers.push(TriggerDecl {
                    binding: binding.to_string(),
                    origin: origin.clone(),
                    properties: map_node(props, origin.derived(&format!("/{method}"))),
                });
            }
        }
        out.push(decl);
        i = close.max(i + 1);
    }
    out
}

fn http(
    source: &SourceFile,
    name: &str,
    options: Option<&Spanned>,
    shortcut: Option<&str>,
    origin: warden_source::Origin,
) -> HttpDecl {
    let (file, text) = (&source.path, &*source.text);
    let level = options.and_then(|o| o.field("authLevel"));
    // `app.http('x', options)` with the options in a variable (or built by a call): not known.
    // (The method shortcuts take a handler there: `app.get('x', handler)`.)
    let opaque = options.filter(|o| shortcut.is_none() && !matches!(o.expr, Expr::Object(_)));
    let (auth, auth_origin, implied_by) = match (level, opaque) {
        (None, Some(o)) => (
            AuthLevel::Unknown(text.get(o.start..o.end).unwrap_or("?").to_string()),
            origin_at(file, o.start, o.end, format!("/{name}/options")),
            None,
        ),
        (level, _) => match level {
            Some(v) => (
                match v.str() {
                    Some(s) => AuthLevel::parse(s),
                    None => AuthLevel::Unknown(text.get(v.start..v.end).unwrap_or("?").to_string()),
                },
                origin_at(file, v.start, v.end, format!("/{name}/authLevel")),
                None,
            ),
            None => (
                AuthLevel::Anonymous,
                origin.clone(),
                Some("the default `authLevel` of the Node.js v4 model".to_string()),
            ),
        },
    };
    let route = options
        .and_then(|o| o.field("route"))
        .map(|r| match r.str() {
            Some(s) => s.to_string(),
            None => "{unknown}".to_string(),
        });
    let methods = match shortcut {
        Some(m) => vec![m.to_string()],
        None => match options.and_then(|o| o.field("methods")).map(|m| &m.expr) {
            Some(Expr::List(items)) => items
                .iter()
                .filter_map(Spanned::str)
                .map(str::to_ascii_uppercase)
                .collect(),
            Some(_) => Vec::new(),
            None => vec!["GET".to_string(), "POST".to_string()],
        },
    };
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
        read(&SourceFile::new("src/functions/orders.ts", text))
    }

    #[test]
    fn http_registrations_and_defaults() {
        let d = read_text(
            r#"import { app, HttpRequest } from '@azure/functions';
export async function list(req: HttpRequest) { return { body: 'x' }; }
app.http('listOrders', { methods: ['GET'], authLevel: 'function', route: 'orders', handler: list });
app.http('open', { handler: async (r, c) => ({ body: `hi ${r.url}` }) });
app.get('shortcut', list);
app.storageQueue('onMessage', { queueName: 'q', connection: 'C', handler: list });
// app.http('commented', { authLevel: 'anonymous', handler: list });
const s = "app.http('instring', {})";
app.http('fromVariable', sharedOptions);
"#,
        );
        assert_eq!(d.len(), 5);
        assert!(matches!(d[4].http[0].auth, AuthLevel::Unknown(_)));
        assert!(d[4].handler.is_none());
        assert_eq!(d[0].name, "listOrders");
        assert_eq!(d[0].http[0].auth, AuthLevel::Function);
        assert_eq!(d[0].http[0].route.as_deref(), Some("orders"));
        assert_eq!(d[0].handler.as_ref().and_then(|h| h.as_str()), Some("list"));
        assert_eq!(d[1].http[0].auth, AuthLevel::Anonymous);
        assert!(d[1].http[0].implied_by.is_some());
        assert_eq!(d[1].http[0].methods, ["GET", "POST"]);
        assert_eq!(d[2].http[0].methods, ["GET"]);
        assert_eq!(d[2].http[0].auth, AuthLevel::Anonymous);
        assert_eq!(d[3].triggers[0].binding, "queueTrigger");
    }
}
