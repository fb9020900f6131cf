//! Sinks: the calls where attacker-controlled data does harm, by family, and which argument of
//! each call matters. Callees are recognised by their qualified name (`child_process.exec`,
//! `subprocess.run`), resolved through imports and `require`, or by method name where the
//! receiver's type is unknowable statically (`.query(…)`, `.execute(…)`, `.find(…)`).

use crate::ir::{Call, ExprKind};
use crate::report::IssueKind;
use crate::value::{Val, flags};
use warden_source::Span;

/// A call being checked.
pub struct CallSite<'a> {
    pub python: bool,
    pub canon: Option<&'a str>,
    pub method: Option<&'a str>,
    pub call: &'a Call,
    /// Values of `call.args`, in order.
    pub args: &'a [Val],
    /// The object a method is called on.
    pub receiver: Option<&'a Val>,
}

/// A value that must not be attacker-controlled at this call.
pub struct Candidate<'a> {
    pub kind: IssueKind,
    pub sink: String,
    pub value: &'a Val,
    pub span: Span,
    /// NoSQL: only parsed structures inject operators.
    pub needs_structured: bool,
}

const SHELL_ALWAYS: &[&str] = &[
    "child_process.exec",
    "child_process.execSync",
    "os.system",
    "os.popen",
    "os.popen2",
    "os.popen3",
    "commands.getoutput",
    "subprocess.getoutput",
    "subprocess.getstatusoutput",
    "shelljs.exec",
    "execa.execaCommand",
    "execa.command",
];
const SHELL_OPTION: &[&str] = &[
    "child_process.spawn",
    "child_process.spawnSync",
    "child_process.execFile",
    "child_process.execFileSync",
    "subprocess.run",
    "subprocess.call",
    "subprocess.check_call",
    "subprocess.check_output",
    "subprocess.Popen",
];
const CODE_EVAL_JS: &[&str] = &[
    "eval",
    "Function",
    "vm.runInNewContext",
    "vm.runInThisContext",
    "vm.runInContext",
    "vm.Script",
    "vm.compileFunction",
];
const CODE_EVAL_PY: &[&str] = &["eval", "exec", "compile", "builtins.eval", "builtins.exec"];
const DESER: &[&str] = &[
    "node-serialize.unserialize",
    "serialize-to-js.deserialize",
    "funcster.deepDeserialize",
    "pickle.loads",
    "pickle.load",
    "cPickle.loads",
    "_pickle.loads",
    "dill.loads",
    "shelve.open",
    "jsonpickle.decode",
    "jsonpickle.loads",
    "marshal.loads",
    "yaml.unsafe_load",
    "yaml.full_load",
    "pandas.read_pickle",
];
const SQL_METHODS: &[&str] = &[
    "query",
    "execute",
    "executemany",
    "executescript",
    "raw",
    "whereRaw",
    "$queryRawUnsafe",
    "$executeRawUnsafe",
    "unsafe",
];
const NOSQL_METHODS: &[&str] = &[
    "find",
    "findOne",
    "find_one",
    "findOneAndUpdate",
    "find_one_and_update",
    "findOneAndDelete",
    "find_one_and_delete",
    "updateOne",
    "update_one",
    "updateMany",
    "update_many",
    "deleteOne",
    "delete_one",
    "deleteMany",
    "delete_many",
    "countDocuments",
    "count_documents",
    "aggregate",
    "remove",
    "$where",
];
const FS_METHODS: &[&str] = &[
    "readFile",
    "readFileSync",
    "writeFile",
    "writeFileSync",
    "appendFile",
    "appendFileSync",
    "createReadStream",
    "createWriteStream",
    "unlink",
    "unlinkSync",
    "rm",
    "rmSync",
    "rmdir",
    "rmdirSync",
    "readdir",
    "readdirSync",
    "open",
    "openSync",
    "copyFile",
    "copyFileSync",
    "rename",
    "renameSync",
    "readJson",
    "readJsonSync",
    "outputFile",
    "remove",
];
const PY_PATH: &[&str] = &[
    "open",
    "io.open",
    "os.open",
    "os.remove",
    "os.unlink",
    "os.rmdir",
    "os.listdir",
    "os.rename",
    "shutil.rmtree",
    "shutil.copy",
    "shutil.copyfile",
    "shutil.move",
    "flask.send_file",
    "codecs.open",
];
const HTTP_CLIENTS_JS: &[&str] = &[
    "fetch",
    "node-fetch",
    "axios",
    "axios.get",
    "axios.post",
    "axios.put",
    "axios.patch",
    "axios.delete",
    "axios.head",
    "axios.request",
    "got",
    "got.get",
    "got.post",
    "http.get",
    "http.request",
    "https.get",
    "https.request",
    "request",
    "request.get",
    "request.post",
    "superagent.get",
    "superagent.post",
    "needle.get",
    "undici.request",
    "undici.fetch",
];
const HTTP_CLIENTS_PY: &[&str] = &[
    "requests.get",
    "requests.post",
    "requests.put",
    "requests.patch",
    "requests.delete",
    "requests.head",
    "requests.options",
    "httpx.get",
    "httpx.post",
    "httpx.put",
    "httpx.delete",
    "urllib.request.urlopen",
    "urllib.request.Request",
    "urllib.request.urlretrieve",
    "urllib2.urlopen",
    "urlopen",
];
const XML_PY: &[&str] = &[
    "lxml.etree.fromstring",
    "lxml.etree.parse",
    "lxml.etree.XML",
];
const XML_JS: &[&str] = &[
    "libxmljs.parseXml",
    "libxmljs.parseXmlString",
    "libxmljs2.parseXml",
    "libxmljs2.parseXmlString",
];

fn arg<'a>(site: &CallSite<'a>, index: usize) -> Option<(&'a Val, Span)> {
    let mut n = 0;
    for (a, v) in site.call.args.iter().zip(site.args) {
        if a.name.is_some() {
            continue;
        }
        if n == index {
            return Some((v, a.value.span));
        }
        n += 1;
    }
    None
}

fn keyword<'a>(site: &CallSite<'a>, name: &str) -> Option<(&'a Val, Span)> {
    site.call
        .args
        .iter()
        .zip(site.args)
        .find(|(a, _)| a.name.as_deref() == Some(name))
        .map(|(a, v)| (v, a.value.span))
}

/// True when a keyword argument is the literal `True`.
fn keyword_true(site: &CallSite<'_>, name: &str) -> bool {
    site.call.keyword(name).is_some_and(is_true_literal)
}

fn is_true_literal(e: &crate::ir::Expr) -> bool {
    matches!(&e.kind, ExprKind::Bool(true))
}

/// True when an options object literal (any argument) sets `key` to `true`.
fn option_true(site: &CallSite<'_>, key: &str) -> bool {
    site.call.args.iter().any(|a| match &a.value.kind {
        ExprKind::Object(props) => props
            .iter()
            .any(|p| p.key.as_deref() == Some(key) && is_true_literal(&p.value)),
        _ => false,
    })
}

/// Every candidate at this call.
pub fn candidates<'a>(site: &CallSite<'a>) -> Vec<Candidate<'a>> {
    let mut out = Vec::new();
    let canon = site.canon.unwrap_or("");
    let mut push = |kind, sink: &str, found: Option<(&'a Val, Span)>, needs_structured| {
        if let Some((value, span)) = found {
            out.push(Candidate {
                kind,
                sink: sink.to_string(),
                value,
                span,
                needs_structured,
            });
        }
    };
    // Command injection.
    if SHELL_ALWAYS.contains(&canon) {
        push(IssueKind::CommandInjection, canon, arg(site, 0), false);
    } else if SHELL_OPTION.contains(&canon) {
        let shell = if site.python {
            keyword_true(site, "shell")
        } else {
            option_true(site, "shell")
        };
        if shell {
            push(IssueKind::CommandInjection, canon, arg(site, 0), false);
            if !site.python {
                push(IssueKind::CommandInjection, canon, arg(site, 1), false);
            }
        } else if !canon.starts_with("subprocess.") {
            // The program itself chosen by the attacker.
            push(IssueKind::CommandInjection, canon, arg(site, 0), false);
        }
    }
    // Code injection.
    let evals = if site.python {
        CODE_EVAL_PY
    } else {
        CODE_EVAL_JS
    };
    if evals.contains(&canon) {
        let first = arg(site, 0);
        {
            if canon == "Function" {
                for i in 0..site.call.args.len() {
                    push(IssueKind::CodeInjection, "Function", arg(site, i), false);
                }
            } else {
                push(IssueKind::CodeInjection, canon, first, false);
            }
        }
    }
    // Deserialisation.
    if DESER.contains(&canon) {
        push(IssueKind::UnsafeDeserialization, canon, arg(site, 0), false);
    }
    if canon == "yaml.load" && site.python && !safe_yaml_loader(site) {
        push(
            IssueKind::UnsafeDeserialization,
            "yaml.load",
            arg(site, 0),
            false,
        );
    }
    // SQL.
    if let Some(m) = site.method
        && SQL_METHODS.contains(&m)
        && !(site.python && m == "execute" && canon.starts_with("subprocess"))
    {
        match arg(site, 0) {
            Some((v, span)) if v.fields.is_some() => {
                let f = v
                    .fields
                    .as_ref()
                    .and_then(|f| f.get("text").or_else(|| f.get("sql")));
                push(IssueKind::SqlInjection, m, f.map(|f| (f, span)), false);
            }
            Some((v, _)) if is_query_builder_result(v) => {}
            other => push(IssueKind::SqlInjection, m, other, false),
        }
    }
    // AWS query APIs taking statement text: DynamoDB PartiQL, the RDS Data API, Athena.
    const AWS_SQL_FIELDS: &[&str] = &["Statement", "sql", "QueryString"];
    if !site.python
        && [
            "ExecuteStatementCommand",
            "StartQueryExecutionCommand",
            "ExecuteSqlCommand",
        ]
        .iter()
        .any(|c| canon.ends_with(c))
        && let Some((v, span)) = arg(site, 0)
        && let Some(fields) = &v.fields
    {
        for key in AWS_SQL_FIELDS {
            push(
                IssueKind::SqlInjection,
                canon,
                fields.get(*key).map(|f| (f, span)),
                false,
            );
        }
    }
    if site.python
        && matches!(
            site.method,
            Some("execute_statement" | "start_query_execution")
        )
    {
        for key in AWS_SQL_FIELDS {
            push(
                IssueKind::SqlInjection,
                site.method.unwrap_or(""),
                keyword(site, key),
                false,
            );
        }
    }
    if canon == "sequelize.query" || canon == "sqlalchemy.text" {
        push(IssueKind::SqlInjection, canon, arg(site, 0), false);
    }
    // NoSQL.
    if let Some(m) = site.method
        && NOSQL_METHODS.contains(&m)
        && let Some((v, span)) = arg(site, 0)
    {
        match &v.fields {
            Some(fields) => {
                for (k, fv) in fields.iter() {
                    if k == "$where" {
                        push(IssueKind::NoSqlInjection, "$where", Some((fv, span)), false);
                    } else {
                        push(IssueKind::NoSqlInjection, m, Some((fv, span)), true);
                    }
                }
            }
            None => push(IssueKind::NoSqlInjection, m, Some((v, span)), true),
        }
    }
    // Path traversal.
    let fs_call = canon
        .strip_prefix("fs.promises.")
        .or_else(|| canon.strip_prefix("fs."))
        .or_else(|| canon.strip_prefix("fs-extra."))
        .is_some_and(|m| FS_METHODS.contains(&m));
    if (fs_call && !site.python) || (site.python && PY_PATH.contains(&canon)) {
        push(IssueKind::PathTraversal, canon, arg(site, 0), false);
    }
    if !site.python && site.method == Some("sendFile") {
        let rooted = site.call.args.iter().any(|a| match &a.value.kind {
            ExprKind::Object(props) => props.iter().any(|p| p.key.as_deref() == Some("root")),
            _ => false,
        });
        if !rooted {
            push(
                IssueKind::PathTraversal,
                "res.sendFile",
                arg(site, 0),
                false,
            );
        }
    }
    // SSRF.
    let http = if site.python {
        HTTP_CLIENTS_PY
    } else {
        HTTP_CLIENTS_JS
    };
    if http.contains(&canon) {
        match arg(site, 0) {
            Some((v, span)) if v.fields.is_some() && !site.python => {
                let f = v.fields.as_ref().and_then(|f| {
                    f.get("url")
                        .or_else(|| f.get("host"))
                        .or_else(|| f.get("hostname"))
                        .or_else(|| f.get("baseURL"))
                });
                push(IssueKind::Ssrf, canon, f.map(|f| (f, span)), false);
            }
            other => push(
                IssueKind::Ssrf,
                canon,
                other.or_else(|| keyword(site, "url")),
                false,
            ),
        }
    }
    if site.python && matches!(canon, "requests.request" | "httpx.request") {
        push(
            IssueKind::Ssrf,
            canon,
            arg(site, 1).or_else(|| keyword(site, "url")),
            false,
        );
    }
    // XXE.
    if site.python && XML_PY.contains(&canon) {
        let parser = arg(site, 1).or_else(|| keyword(site, "parser"));
        if parser.is_some_and(|(p, _)| p.has(flags::UNSAFE_XML)) {
            push(IssueKind::Xxe, canon, arg(site, 0), false);
        }
    }
    if !site.python && XML_JS.contains(&canon) && option_true(site, "noent") {
        push(IssueKind::Xxe, canon, arg(site, 0), false);
    }
    out
}

/// `yaml.load(x, Loader=yaml.SafeLoader)` and friends.
fn safe_yaml_loader(site: &CallSite<'_>) -> bool {
    let loader = site
        .call
        .keyword("Loader")
        .or_else(|| site.call.positional(1));
    loader
        .and_then(|l| l.last_name())
        .is_some_and(|n| matches!(n, "SafeLoader" | "CSafeLoader" | "BaseLoader"))
}

/// Sink families as bits, for sanitisers that only protect some sinks.
pub mod safe {
    pub const SHELL: u16 = 1;
    pub const CODE: u16 = 1 << 1;
    pub const DESER: u16 = 1 << 2;
    pub const SQL: u16 = 1 << 3;
    pub const NOSQL: u16 = 1 << 4;
    pub const PATH: u16 = 1 << 5;
    pub const URL: u16 = 1 << 6;
    pub const XML: u16 = 1 << 7;
    /// Validation and type conversion: safe everywhere.
    pub const ALL: u16 = u16::MAX;
}

/// The bit of an injection kind.
pub fn family(kind: IssueKind) -> u16 {
    match kind {
        IssueKind::CommandInjection => safe::SHELL,
        IssueKind::CodeInjection => safe::CODE,
        IssueKind::UnsafeDeserialization => safe::DESER,
        IssueKind::SqlInjection => safe::SQL,
        IssueKind::NoSqlInjection => safe::NOSQL,
        IssueKind::PathTraversal => safe::PATH,
        IssueKind::Ssrf => safe::URL,
        IssueKind::Xxe => safe::XML,
        _ => 0,
    }
}

/// The sink families a call's result is safe for, whatever went in: validators and type
/// conversions (all), shell quoting (shell), base names (paths), SQL escaping (SQL), URL encoding
/// (URLs and paths). `None` for calls that sanitise nothing.
pub fn sanitizer(canon: Option<&str>, method: Option<&str>, python: bool) -> Option<u16> {
    let canon = canon.unwrap_or("");
    let by_canon = match canon {
        "shlex.quote" | "pipes.quote" | "shell-quote.quote" | "shell-escape" => Some(safe::SHELL),
        "path.basename" | "os.path.basename" | "path.posix.basename" => Some(safe::PATH),
        "parseInt" | "parseFloat" | "Number" | "Boolean" | "int" | "float" | "bool" | "len"
        | "uuid.UUID" | "decimal.Decimal" => Some(safe::ALL),
        "mysql.escape" | "mysql2.escape" | "sqlstring.escape" | "pg-format" | "pg-escape" => {
            Some(safe::SQL)
        }
        "encodeURIComponent" | "urllib.parse.quote" | "urllib.parse.quote_plus" => {
            Some(safe::URL | safe::PATH)
        }
        _ => None,
    };
    if by_canon.is_some() {
        return by_canon;
    }
    let method = method?;
    const ALL_JS: &[&str] = &[
        "safeParse",
        "validate",
        "validateAsync",
        "validateSync",
        "digest",
        "length",
        "isInteger",
        "isValid",
        "test",
    ];
    const ALL_PY: &[&str] = &[
        "hexdigest",
        "digest",
        "parse_obj",
        "parse_raw",
        "model_validate",
        "model_validate_json",
        "validate_python",
        "validate_json",
        "isdigit",
        "isalnum",
    ];
    const SQL: &[&str] = &[
        "escape",
        "escapeId",
        "escapeLiteral",
        "escapeIdentifier",
        "escape_string",
        "mogrify",
    ];
    if SQL.contains(&method) {
        return Some(safe::SQL);
    }
    if method == "basename" {
        return Some(safe::PATH);
    }
    let all = if python { ALL_PY } else { ALL_JS };
    if all.contains(&method) {
        return Some(safe::ALL);
    }
    match method {
        // `schema.parse(x)` (zod) validates; `JSON.parse`, `url.parse`… do not.
        "parse" | "parseAsync" if !python => (![
            "JSON",
            "url",
            "querystring",
            "qs",
            "path",
            "Date",
            "yaml",
            "js-yaml",
            "cookie",
            "csv",
            "xml2js",
            "papaparse",
            "URL",
        ]
        .iter()
        .any(|m| canon.starts_with(&format!("{m}."))))
        .then_some(safe::ALL),
        // `marshmallow Schema().load(x)` validates; `json.load`/`yaml.load`/`pickle.load` do not.
        "load" if python => (![
            "json",
            "yaml",
            "pickle",
            "marshal",
            "dill",
            "jsonpickle",
            "toml",
        ]
        .iter()
        .any(|m| canon.starts_with(&format!("{m}."))))
        .then_some(safe::ALL),
        _ => None,
    }
}

/// Functions of libraries whose result is text (so a query built with them is still SQL text).
const TEXT_BUILDERS: &[&str] = &[
    "format", "join", "concat", "replace", "sprintf", "vsprintf", "raw", "trim", "toString", "str",
    "strip", "lower", "upper", "template", "render", "dedent",
];

/// True for the result of a library call that builds a query object rather than text
/// (FaunaDB `q.Get(ref)`, an ORM expression): its arguments are values, not SQL.
fn is_query_builder_result(v: &Val) -> bool {
    let Some(canon) = v.canon.as_deref().and_then(|c| c.strip_suffix("()")) else {
        return false;
    };
    let Some((module, function)) = canon.rsplit_once('.') else {
        return false;
    };
    !module.is_empty() && !TEXT_BUILDERS.contains(&function)
}
