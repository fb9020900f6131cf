//! The Python v2 programming model: `app = func.FunctionApp(http_auth_level=…)` (or a
//! `func.Blueprint`, a durable `df.DFApp`) and functions declared by decorators on it:
//! `@app.route(route=…, auth_level=…, methods=[…])` for HTTP, `@app.timer_trigger(…)`,
//! `@app.queue_trigger(…)` and the other `*_trigger` decorators, `@app.function_name(name=…)`.
//! `func.AsgiFunctionApp`/`func.WsgiFunctionApp` serve a whole web framework through one HTTP
//! trigger (route `{*route}`).
//!
//! A route without `auth_level` takes the app's `http_auth_level`; without one, the library's
//! default `FUNCTION` applies.

use super::decl::{AuthLevel, FunctionDecl, HttpDecl, TriggerDecl, map_node, origin_at, str_node};
use super::expr::{self, Arg, Expr, Spanned, kwarg, positional};
use super::lex::{Lang, Tok, Token, tokenize};
use std::collections::HashMap;
use std::sync::Arc;
use warden_source::{Origin, SourceFile};

/// Classes whose instances declare functions.
const APP_CLASSES: &[&str] = &["FunctionApp", "Blueprint", "DFApp", "DFBlueprint"];
/// Classes that serve an ASGI/WSGI application through one catch-all HTTP trigger.
const WEB_APP_CLASSES: &[&str] = &["AsgiFunctionApp", "WsgiFunctionApp"];

/// True when a Python file uses the Azure Functions library.
pub fn is_candidate(text: &str) -> bool {
    text.contains("azure.functions") || text.contains("azure.durable_functions")
}

/// An app object and its default HTTP level.
struct AppVar {
    level: Option<(AuthLevel, Origin)>,
    /// False for objects of other classes (`flask_app = Flask(__name__)`), whose decorators
    /// (`@flask_app.route`) declare no Azure function.
    azure: bool,
    /// A `FunctionApp` (or `DFApp`), whose `http_auth_level` applies to its routes; blueprints
    /// take the level of the app they are registered with.
    is_app: bool,
}

struct Decorator {
    object: String,
    method: String,
    args: Vec<Arg>,
    start: usize,
    end: usize,
}

/// Reads the functions a Python file declares.
pub fn read(source: &SourceFile) -> Vec<FunctionDecl> {
    read_file(source).functions
}

/// What a Python file declares.
#[derive(Debug, Default)]
pub struct PythonFile {
    pub functions: Vec<FunctionDecl>,
    /// The `http_auth_level` of the `FunctionApp` the file creates (`FUNCTION` when not given),
    /// which blueprint routes registered with it inherit.
    pub app_level: Option<AuthLevel>,
}

/// Reads the functions and the app-level default a Python file declares.
pub fn read_file(source: &SourceFile) -> PythonFile {
    let file = source.path.clone();
    let toks = tokenize(&source.text, Lang::Python);
    let code_dir = super::decl::parent_dir(&file).to_string();
    let mut vars: HashMap<String, AppVar> = HashMap::new();
    let mut out = Vec::new();
    let mut pending: Vec<Decorator> = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        // `i` is at the start of a logical line.
        let line_end = next_newline(&toks, i);
        match &toks[i].tok {
            Tok::Punct('@') => {
                if let Some(d) = decorator(&toks, i + 1, line_end) {
                    pending.push(d);
                }
            }
            Tok::Ident(w)
                if w == "def" || (w == "async" && ident_at(&toks, i + 1) == Some("def")) =>
            {
                let at = if w == "def" { i + 1 } else { i + 2 };
                let decorators = std::mem::take(&mut pending);
                if !decorators.is_empty()
                    && let Some(d) =
                        function(source, &file, &code_dir, &toks, at, &decorators, &vars)
                {
                    out.push(d);
                }
            }
            Tok::Ident(name) if toks.get(i + 1).is_some_and(|t| t.is_punct('=')) => {
                pending.clear();
                if let Some(d) =
                    assignment(source, &code_dir, &toks, name, i + 2, line_end, &mut vars)
                {
                    out.push(d);
                }
            }
            _ => pending.clear(),
        }
        i = line_end + 1;
    }
    let app_level = vars.values().find(|v| v.azure && v.is_app).map(|v| {
        v.level
            .as_ref()
            .map_or(AuthLevel::Function, |(l, _)| l.clone())
    });
    PythonFile {
        functions: out,
        app_level,
    }
}

fn ident_at(toks: &[Token], i: usize) -> Option<&str> {
    toks.get(i).and_then(Token::ident)
}

fn next_newline(toks: &[Token], from: usize) -> usize {
    toks[from..]
        .iter()
        .position(|t| t.tok == Tok::Newline)
        .map_or(toks.len(), |p| from + p)
}

/// A dotted name starting at `i`: its segments and the index after it.
fn dotted(toks: &[Token], mut i: usize, end: usize) -> (Vec<String>, usize) {
    let mut parts = Vec::new();
    while i < end {
        let Some(name) = ident_at(toks, i) else { break };
        parts.push(name.to_string());
        if i + 1 < end && toks[i + 1].is_punct('.') {
            i += 2;
        } else {
            i += 1;
            break;
        }
    }
    (parts, i)
}

fn decorator(toks: &[Token], from: usize, end: usize) -> Option<Decorator> {
    let (mut parts, after) = dotted(toks, from, end);
    if parts.len() < 2 {
        return None;
    }
    let method = parts.pop()?;
    let object = parts.join(".");
    let start = toks.get(from.saturating_sub(1))?.start;
    let (args, close) = if after < end && toks[after].is_punct('(') {
        expr::call_args(toks, after)
    } else {
        (Vec::new(), after)
    };
    let end_byte = toks
        .get(close.saturating_sub(1).min(end.saturating_sub(1)))
        .map_or(start, |t| t.end);
    Some(Decorator {
        object,
        method,
        args,
        start,
        end: end_byte,
    })
}

/// `name = module.FunctionApp(...)`: records the app's default level. An ASGI/WSGI app is
/// itself a function with one catch-all HTTP trigger.
fn assignment(
    source: &SourceFile,
    code_dir: &str,
    toks: &[Token],
    name: &str,
    from: usize,
    end: usize,
    vars: &mut HashMap<String, AppVar>,
) -> Option<FunctionDecl> {
    let (file, text) = (&source.path, &*source.text);
    let (parts, after) = dotted(toks, from, end);
    let class = parts.last()?;
    let web = WEB_APP_CLASSES.contains(&class.as_str());
    if after >= end || !toks[after].is_punct('(') {
        return None;
    }
    if !(APP_CLASSES.contains(&class.as_str()) || web) {
        vars.insert(
            name.to_string(),
            AppVar {
                level: None,
                azure: false,
                is_app: false,
            },
        );
        return None;
    }
    let (args, close) = expr::call_args(toks, after);
    let level = kwarg(&args, "http_auth_level").map(|v| {
        let o = origin_at(file, v.start, v.end, format!("/{name}/http_auth_level"));
        (level_of(v, text), o)
    });
    vars.insert(
        name.to_string(),
        AppVar {
            level: level.clone(),
            azure: true,
            is_app: !class.contains("Blueprint"),
        },
    );
    if !web {
        return None;
    }
    let start = toks.get(from)?.start;
    let end_byte = toks.get(close.saturating_sub(1))?.end;
    let origin = origin_at(file, start, end_byte, format!("/{name}"));
    let (auth, auth_origin, implied_by) = match level {
        Some((l, o)) => (l, o, None),
        None => (
            AuthLevel::Function,
            origin.clone(),
            Some(format!("the default `http_auth_level` of `{class}`")),
        ),
    };
    Some(FunctionDecl {
        name: "http_app_func".to_string(),
        origin: origin.clone(),
        handler: Some(str_node(name, origin.clone())),
        code_dir: code_dir.to_string(),
        runtime: Some("python"),
        http: vec![HttpDecl {
            auth,
            auth_origin,
            implied_by,
            inherits_app_level: false,
            route: Some("{*route}".to_string()),
            methods: Vec::new(),
            origin,
        }],
        triggers: Vec::new(),
    })
}

/// An `auth_level` value: `func.AuthLevel.ANONYMOUS`, `app.auth_level.ANONYMOUS`, `"anonymous"`.
fn level_of(v: &Spanned, text: &str) -> AuthLevel {
    match (&v.expr, v.last_segment()) {
        (_, Some(seg)) => AuthLevel::parse(seg),
        (Expr::Str { value, plain: true }, _) => AuthLevel::parse(value),
        _ => AuthLevel::Unknown(text.get(v.start..v.end).unwrap_or("?").to_string()),
    }
}

/// The binding type a trigger decorator stands for (`queue_trigger` → `queueTrigger`).
fn binding_of(method: &str) -> Option<String> {
    let known = match method {
        "schedule" | "timer_trigger" => "timerTrigger",
        "event_hub_message_trigger" => "eventHubTrigger",
        "service_bus_queue_trigger" | "service_bus_topic_trigger" => "serviceBusTrigger",
        "cosmos_db_trigger" | "cosmos_db_trigger_v3" => "cosmosDBTrigger",
        m if m.ends_with("_trigger") => {
            let mut out = String::new();
            let mut upper = false;
            for c in m.chars() {
                if c == '_' {
                    upper = true;
                } else if upper {
                    out.push(c.to_ascii_uppercase());
                    upper = false;
                } else {
                    out.push(c);
                }
            }
            return Some(out);
        }
        _ => return None,
    };
    Some(known.to_string())
}

fn function(
    source: &SourceFile,
    file: &Arc<str>,
    code_dir: &str,
    toks: &[Token],
    at: usize,
    decorators: &[Decorator],
    vars: &HashMap<String, AppVar>,
) -> Option<FunctionDecl> {
    let def_name = ident_at(toks, at)
        .filter(|_| toks.get(at + 1).is_some_and(|t| t.is_punct('(')))
        .map(str::to_string);
    let def_at = toks.get(at).map_or(0, |t| t.start);
    let mut name = def_name.clone().unwrap_or_else(|| {
        let line = source
            .position(u32::try_from(def_at).unwrap_or(u32::MAX))
            .line;
        format!("function at line {line}")
    });
    for d in decorators {
        if d.method == "function_name"
            && let Some(n) = kwarg(&d.args, "name")
                .or_else(|| positional(&d.args).next())
                .and_then(Spanned::str)
        {
            name = n.to_string();
        }
    }
    let mut decl = FunctionDecl {
        name: name.clone(),
        origin: origin_at(
            file,
            decorators.first().map_or(def_at, |d| d.start),
            def_at,
            format!("/{name}"),
        ),
        handler: def_name.map(|n| {
            str_node(
                n,
                origin_at(
                    file,
                    def_at,
                    toks.get(at).map_or(def_at, |t| t.end),
                    format!("/{name}/def"),
                ),
            )
        }),
        code_dir: code_dir.to_string(),
        runtime: Some("python"),
        http: Vec::new(),
        triggers: Vec::new(),
    };
    for d in decorators {
        if vars.get(&d.object).is_some_and(|v| !v.azure) {
            continue;
        }
        let origin = origin_at(file, d.start, d.end, format!("/{name}/{}", d.method));
        let generic_http = d.method == "generic_trigger"
            && kwarg(&d.args, "type")
                .and_then(Spanned::str)
                .is_some_and(|t| t.eq_ignore_ascii_case("httpTrigger"));
        if d.method == "route" || generic_http {
            decl.http.push(route(source, &name, d, origin, vars));
        } else if let Some(binding) = binding_of(&d.method) {
            let props = d
                .args
                .iter()
                .filter_map(|a| {
                    let k = a.key.as_deref()?;
                    let s = a.value.str()?;
                    let o = origin_at(
                        file,
                        a.value.start,
                        a.value.end,
                        format!("/{name}/{}/{k}", d.method),
                    );
                    Some((k, str_node(s, o)))
                })
                .collect();
            decl.triggers.push(TriggerDecl {
                binding,
                origin: origin.clone(),
                properties: map_node(props, origin),
            });
        }
    }
    (!decl.http.is_empty() || !decl.triggers.is_empty()).then_some(decl)
}

fn route(
    source: &SourceFile,
    name: &str,
    d: &Decorator,
    origin: Origin,
    vars: &HashMap<String, AppVar>,
) -> HttpDecl {
    let (file, text) = (&source.path, &*source.text);
    let var = vars.get(&d.object);
    let inherits_app_level =
        kwarg(&d.args, "auth_level").is_none() && !var.is_some_and(|v| v.is_app);
    let (auth, auth_origin, implied_by) = match kwarg(&d.args, "auth_level") {
        Some(v) => (
            level_of(v, text),
            origin_at(file, v.start, v.end, format!("/{name}/route/auth_level")),
            None,
        ),
        None => match var.filter(|v| v.is_app).and_then(|v| v.level.clone()) {
            Some((level, _)) => (
                level,
                origin.clone(),
                Some(format!("the `http_auth_level` of `{}`", d.object)),
            ),
            None => (
                AuthLevel::Function,
                origin.clone(),
                Some("the default `http_auth_level` of `FunctionApp`".to_string()),
            ),
        },
    };
    // `route` is also the first positional parameter: `@app.route("orders")`.
    let route_arg = kwarg(&d.args, "route").or_else(|| {
        (d.method == "route")
            .then(|| positional(&d.args).next())
            .flatten()
    });
    let route = match route_arg {
        Some(v) => match &v.expr {
            Expr::Str { value, plain: true } => Some(value.clone()),
            Expr::Null => None,
            _ => Some("{unknown}".to_string()),
        },
        None => None,
    };
    let methods = match kwarg(&d.args, "methods").map(|m| &m.expr) {
        Some(Expr::List(items)) => items
            .iter()
            .filter_map(|m| m.str().or_else(|| m.last_segment()))
            .map(str::to_ascii_uppercase)
            .collect(),
        Some(Expr::Str { value, .. }) => vec![value.to_ascii_uppercase()],
        _ => Vec::new(),
    };
    HttpDecl {
        auth,
        auth_origin,
        implied_by,
        inherits_app_level,
        route,
        methods,
        origin,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_text(text: &str) -> Vec<FunctionDecl> {
        read(&SourceFile::new("app/function_app.py", text))
    }

    #[test]
    fn app_default_level_and_route_overrides() {
        let d = read_text(
            r#"import azure.functions as func
app = func.FunctionApp(http_auth_level=func.AuthLevel.ANONYMOUS)

@app.route(route="orders/{id}", methods=["GET"])
def get_order(req: func.HttpRequest) -> func.HttpResponse:
    return func.HttpResponse("x")

@app.function_name(name="Admin")
@app.route(route="admin", auth_level=func.AuthLevel.ADMIN,
           methods=[func.HttpMethod.POST])
async def admin(req):
    pass

@app.timer_trigger(schedule="0 */5 * * * *", arg_name="t")
def tick(t): pass

@app.route("health")
def health(req): pass

@some.other_decorator
def not_a_function(): pass
"#,
        );
        assert_eq!(d.len(), 4);
        assert_eq!(d[3].http[0].route.as_deref(), Some("health"));
        assert_eq!(d[0].name, "get_order");
        assert_eq!(d[0].http[0].auth, AuthLevel::Anonymous);
        assert!(d[0].http[0].implied_by.is_some());
        assert_eq!(d[0].http[0].route.as_deref(), Some("orders/{id}"));
        assert_eq!(d[0].http[0].methods, ["GET"]);
        assert_eq!(d[1].name, "Admin");
        assert_eq!(d[1].http[0].auth, AuthLevel::Admin);
        assert_eq!(d[1].http[0].methods, ["POST"]);
        assert_eq!(d[2].triggers[0].binding, "timerTrigger");
    }

    #[test]
    fn default_is_function_and_placeholders_are_unknown() {
        let d = read_text(
            "import azure.functions as func\napp = func.FunctionApp()\n@app.route(route=\"a\")\ndef a(r): pass\n@app.route(route=\"b\", auth_level=func.AuthLevel.$(AUTHLEVEL_INPUT))\ndef b(r): pass\n",
        );
        assert_eq!(d[0].http[0].auth, AuthLevel::Function);
        assert!(matches!(d[1].http[0].auth, AuthLevel::Unknown(_)));
    }

    #[test]
    fn strings_and_comments_do_not_declare_functions() {
        let d = read_text(
            "import azure.functions as func\n# @app.route(route='x')\ns = '''\n@app.route(route=\"y\")\ndef y(): pass\n'''\n",
        );
        assert!(d.is_empty());
    }

    #[test]
    fn decorators_of_other_frameworks_are_not_functions() {
        let d = read_text(
            "import azure.functions as func\nfrom flask import Flask\nflask_app = Flask(__name__)\n@flask_app.route(\"/hello\")\ndef hello(): pass\napp = func.WsgiFunctionApp(app=flask_app.wsgi_app, http_auth_level=func.AuthLevel.FUNCTION)\n",
        );
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].name, "http_app_func");
        assert_eq!(d[0].http[0].auth, AuthLevel::Function);
    }

    #[test]
    fn blueprint_routes_inherit_the_app_level() {
        let bp = read_file(&SourceFile::new(
            "app/reports.py",
            "import azure.functions as func\nbp = func.Blueprint()\n@bp.route(route=\"r\")\ndef r(req): pass\n",
        ));
        assert!(bp.app_level.is_none());
        assert!(bp.functions[0].http[0].inherits_app_level);
        let app = read_file(&SourceFile::new(
            "app/function_app.py",
            "import azure.functions as func\napp = func.FunctionApp(http_auth_level=func.AuthLevel.ANONYMOUS)\n@app.route(route=\"a\")\ndef a(req): pass\n",
        ));
        assert_eq!(app.app_level, Some(AuthLevel::Anonymous));
        assert!(!app.functions[0].http[0].inherits_app_level);
    }

    #[test]
    fn asgi_app_is_one_catch_all_trigger() {
        let d = read_text(
            "import azure.functions as func\napp = func.AsgiFunctionApp(app=fastapi_app, http_auth_level=func.AuthLevel.ANONYMOUS)\n",
        );
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].http[0].auth, AuthLevel::Anonymous);
        assert_eq!(d[0].http[0].route.as_deref(), Some("{*route}"));
    }
}
