//! Recognising AWS SDK calls in one lowered module: boto3 clients, resources and `Table`s, AWS SDK
//! for JavaScript v2 (`new AWS.S3()`, `DocumentClient`) and v3 (`new S3Client()` with
//! `new XxxCommand(...)`, aggregated clients, paginators, `lib-dynamodb`, `lib-storage`), with the
//! resource-naming arguments of each call (literals and environment variables). Bindings are
//! tracked by name through assignments, imports and `require`, in statement order.

use super::names::{
    Mapped, camel_to_pascal, is_helper_method, map_document_client, map_operation,
    map_table_method, service_prefix, snake_to_pascal, v3_package_service,
};
use super::{ModuleSdk, ResourceRef, SdkCall};
use crate::ir::{Call, Expr, ExprKind, Function, ImportBinding, Module, Pattern, Stmt};
use std::collections::HashMap;
use std::sync::Arc;
use warden_source::Origin;

/// How a client's methods are named and what they mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    /// boto3 client: snake_case operations, keyword arguments.
    Boto3Client,
    /// boto3 resource: `Table(...)`, `Object(...)`, `Bucket(...)`, `Queue(...)`, `Topic(...)`.
    Boto3Resource,
    /// v2 service object or v3 aggregated client: camelCase operations, one params object.
    CamelCase,
    /// v3 bare client: operations are commands given to `send`.
    Send,
    /// DocumentClient (v2) or DynamoDBDocument (v3 aggregated): `put`, `get`, …
    Document,
}

/// What a name (or expression) stands for.
#[derive(Debug, Clone, PartialEq)]
enum B {
    Boto3,
    /// `client`/`resource` of boto3 or a session; `true` when the session has its own keys.
    Boto3Fn(&'static str, bool),
    Boto3SessionModule,
    Boto3SessionClass,
    /// A boto3 session; `true` when created with explicit keys.
    Boto3Session(bool),
    AwsV2,
    V2Class(&'static str),
    V2DocClass,
    V3Module(&'static str),
    V3Class(&'static str, Style),
    V3Command(&'static str, String),
    V3Paginator(&'static str, String),
    V3DocModule,
    V3DocClass(Style),
    V3DocCommand(String),
    LibStorage,
    LibStorageUpload,
    /// A client of a service; `true` when created with credentials other than the role's.
    Client(&'static str, Style, bool),
    Table(ResourceRef),
    S3Object(ResourceRef, ResourceRef),
    S3Bucket(ResourceRef),
    /// `resource.meta` of a boto3 resource: its `client` is a client of the same service.
    ResourceMeta(&'static str, bool),
    S3BucketObjects(ResourceRef),
    SqsQueue(ResourceRef),
    SnsTopic(ResourceRef),
    Os,
    Environ,
    Getenv,
    ProcessEnv,
    Env(String),
    Str(String),
}

impl B {
    fn is_sdk_object(&self) -> bool {
        matches!(
            self,
            B::Client(..)
                | B::Table(_)
                | B::S3Object(..)
                | B::S3Bucket(_)
                | B::SqsQueue(_)
                | B::SnsTopic(_)
        )
    }

    fn resource_ref(&self) -> ResourceRef {
        match self {
            B::Env(n) => ResourceRef::Env(n.clone()),
            B::Str(s) => ResourceRef::Literal(s.clone()),
            _ => ResourceRef::Unknown,
        }
    }
}

/// Resource-naming parameters, as the SDKs spell them.
const RESOURCE_PARAMS: &[&str] = &[
    "Bucket",
    "Key",
    "TableName",
    "IndexName",
    "QueueUrl",
    "QueueName",
    "TopicArn",
    "TargetArn",
    "FunctionName",
    "SecretId",
    "Name",
    "Names",
    "Path",
    "StreamName",
    "StreamARN",
    "DeliveryStreamName",
    "stateMachineArn",
    "KeyId",
    "EventBusName",
    "CopySource",
];

struct Walker {
    file: Arc<str>,
    /// True while recording a call on a client with its own credentials.
    foreign: bool,
    scope: HashMap<String, B>,
    out: ModuleSdk,
}

/// Scans one module.
pub fn scan_module(module: &Module, file: Arc<str>) -> ModuleSdk {
    let mut w = Walker {
        file,
        foreign: false,
        scope: HashMap::new(),
        out: ModuleSdk::default(),
    };
    w.block(&module.body);
    w.out
}

fn classify_v3_name(svc: &'static str, name: &str) -> B {
    if let Some(op) = name.strip_suffix("Command") {
        B::V3Command(svc, op.to_owned())
    } else if let Some(op) = name.strip_prefix("paginate") {
        B::V3Paginator(svc, op.to_owned())
    } else if name.ends_with("Client") {
        B::V3Class(svc, Style::Send)
    } else {
        B::V3Class(svc, Style::CamelCase)
    }
}

fn module_binding(module: &str) -> Option<B> {
    match module {
        "boto3" => Some(B::Boto3),
        "boto3.session" => Some(B::Boto3SessionModule),
        "aws-sdk" | "aws-sdk/global" => Some(B::AwsV2),
        "@aws-sdk/lib-dynamodb" => Some(B::V3DocModule),
        "@aws-sdk/lib-storage" => Some(B::LibStorage),
        "os" => Some(B::Os),
        m => {
            if let Some(svc) = m.strip_prefix("aws-sdk/clients/") {
                return service_prefix(svc).map(B::V2Class);
            }
            v3_package_service(m).map(B::V3Module)
        }
    }
}

/// The member `name` of a module binding (an import `{name}` or `module.name`).
fn member_of(module: &B, name: &str) -> Option<B> {
    Some(match module {
        B::Boto3 => match name {
            "client" => B::Boto3Fn("client", false),
            "resource" => B::Boto3Fn("resource", false),
            "session" => B::Boto3SessionModule,
            "Session" => B::Boto3SessionClass,
            _ => return None,
        },
        B::Boto3SessionModule if name == "Session" => B::Boto3SessionClass,
        B::Boto3Session(own_keys) => match name {
            "client" => B::Boto3Fn("client", *own_keys),
            "resource" => B::Boto3Fn("resource", *own_keys),
            _ => return None,
        },
        B::AwsV2 => B::V2Class(service_prefix(name)?),
        B::V2Class("dynamodb") if name == "DocumentClient" => B::V2DocClass,
        B::V3Module(svc) => classify_v3_name(svc, name),
        B::V3DocModule => match name {
            "DynamoDBDocumentClient" => B::V3DocClass(Style::Send),
            "DynamoDBDocument" => B::V3DocClass(Style::Document),
            n => B::V3DocCommand(n.strip_suffix("Command")?.to_owned()),
        },
        B::Os => match name {
            "environ" => B::Environ,
            "getenv" => B::Getenv,
            _ => return None,
        },
        B::LibStorage if name == "Upload" => B::LibStorageUpload,
        B::Environ | B::ProcessEnv => B::Env(name.to_owned()),
        B::S3Bucket(r) if name == "objects" => B::S3BucketObjects(r.clone()),
        B::Client(svc, Style::Boto3Resource, own) if name == "meta" => B::ResourceMeta(svc, *own),
        B::ResourceMeta(svc, own) if name == "client" => B::Client(svc, Style::Boto3Client, *own),
        _ => return None,
    })
}

impl Walker {
    fn origin(&self, e: &Expr) -> Origin {
        Origin::new(self.file.clone(), e.span, "")
    }

    fn opaque(&mut self, e: &Expr, why: &str) {
        let o = self.origin(e);
        self.out.dynamic.push((o, why.to_owned()));
    }

    fn block(&mut self, body: &[Stmt]) {
        for s in body {
            self.stmt(s);
        }
    }

    fn function(&mut self, f: &Function) {
        for p in &f.params {
            if let Some(d) = &p.default {
                self.visit(d);
            }
        }
        self.block(&f.body);
    }

    fn stmt(&mut self, s: &Stmt) {
        match s {
            Stmt::Let(p, Some(e), _) => {
                self.visit(e);
                let b = self.eval(e);
                self.bind(p, b);
            }
            Stmt::Let(_, None, _) | Stmt::Jump => {}
            Stmt::AugAssign(_, e, _) | Stmt::Expr(e) => self.visit(e),
            Stmt::Return(e, _) => {
                if let Some(e) = e {
                    self.visit(e);
                    if self.eval(e).is_some_and(|b| b.is_sdk_object()) {
                        self.opaque(e, "an SDK client is returned to other code");
                    }
                }
            }
            Stmt::Throw(e, _) => {
                if let Some(e) = e {
                    self.visit(e);
                }
            }
            Stmt::If(c, a, b) => {
                self.visit(c);
                self.block(a);
                self.block(b);
            }
            Stmt::Loop(p, it, body) => {
                if let Some(it) = it {
                    self.visit(it);
                }
                if let Some(p) = p {
                    self.bind(p, None);
                }
                self.block(body);
            }
            Stmt::Try {
                body,
                handler,
                finally,
                ..
            } => {
                self.block(body);
                self.block(handler);
                self.block(finally);
            }
            Stmt::Func(f) => self.function(f),
            Stmt::Class { bases, body, .. } => {
                for b in bases {
                    self.visit(b);
                }
                self.block(body);
            }
            Stmt::Import(bs) => self.import(bs),
            Stmt::Block(b) => self.block(b),
        }
    }

    fn import(&mut self, bindings: &[ImportBinding]) {
        for b in bindings {
            let Some(module) = module_binding(&b.module) else {
                // Local code (resolved against files by the caller) or another package; a
                // Python `from pkg import sub` may name a submodule (`pkg.sub`, `.sub`).
                let only_dots = !b.module.is_empty() && b.module.chars().all(|c| c == '.');
                match &b.name {
                    // `from . import helpers`: the sibling module itself.
                    Some(name) if only_dots => {
                        self.out.imports.push(format!("{}{name}", b.module));
                    }
                    Some(name) if !b.module.contains('/') && !b.module.starts_with('@') => {
                        self.out.imports.push(b.module.clone());
                        let sep = if b.module.ends_with('.') { "" } else { "." };
                        self.out.submodules.push(format!("{}{sep}{name}", b.module));
                    }
                    _ => self.out.imports.push(b.module.clone()),
                }
                self.scope.remove(&b.local);
                continue;
            };
            let value = match &b.name {
                None => Some(module),
                Some(n) if n == "default" => Some(module),
                Some(n) => member_of(&module, n),
            };
            match value {
                Some(v) => {
                    self.scope.insert(b.local.clone(), v);
                }
                None => {
                    self.scope.remove(&b.local);
                }
            }
        }
    }

    fn bind(&mut self, p: &Pattern, value: Option<B>) {
        match p {
            Pattern::Name(n, _) => match value {
                Some(v) => {
                    self.scope.insert(n.clone(), v);
                }
                None => {
                    self.scope.remove(n);
                }
            },
            Pattern::Object(props) => {
                for (key, target, _) in props {
                    let v = match (&value, key) {
                        (Some(m), Some(k)) => member_of(m, k),
                        _ => None,
                    };
                    self.bind(target, v);
                }
            }
            Pattern::Array(items) => {
                for t in items {
                    self.bind(t, None);
                }
            }
            Pattern::Member(e) => {
                if value.as_ref().is_some_and(B::is_sdk_object) {
                    self.opaque(e, "an SDK client is stored in an object field");
                }
            }
            Pattern::Ignore => {}
        }
    }

    /// What an expression stands for (no recording).
    fn eval(&self, e: &Expr) -> Option<B> {
        match &e.kind {
            ExprKind::Name(n) => match n.as_str() {
                "process" => None,
                _ => self.scope.get(n).cloned(),
            },
            ExprKind::Str(s) => Some(B::Str(s.clone())),
            ExprKind::Member(obj, prop) => {
                if matches!(&obj.kind, ExprKind::Name(n) if n == "process")
                    && prop == "env"
                    && !self.scope.contains_key("process")
                {
                    return Some(B::ProcessEnv);
                }
                member_of(&self.eval(obj)?, prop)
            }
            ExprKind::Binary(crate::ir::BinOp::Or | crate::ir::BinOp::Coalesce, a, _) => {
                // `process.env.TABLE || 'orders'`: the variable names the resource.
                self.eval(a)
            }
            ExprKind::Call(c) => self.eval_call(c),
            _ => None,
        }
    }

    fn first_str(&self, c: &Call, keyword: &str) -> Option<B> {
        c.keyword(keyword)
            .or_else(|| c.positional(0))
            .and_then(|a| self.eval(a))
    }

    fn eval_call(&self, c: &Call) -> Option<B> {
        if let ExprKind::Name(n) = &c.callee.kind
            && n == "require"
            && !self.scope.contains_key("require")
        {
            return module_binding(c.positional(0)?.as_str()?);
        }
        let callee = self.eval(&c.callee);
        match callee {
            Some(B::Boto3Fn(kind, own_keys)) => {
                let svc = match self.first_str(c, "service_name")? {
                    B::Str(s) => service_prefix(&s)?,
                    _ => return None,
                };
                let style = if kind == "client" {
                    Style::Boto3Client
                } else {
                    Style::Boto3Resource
                };
                Some(B::Client(svc, style, own_keys || boto3_keys(c)))
            }
            Some(B::Boto3SessionClass) => Some(B::Boto3Session(boto3_keys(c))),
            Some(B::Getenv) => c.positional(0)?.as_str().map(|n| B::Env(n.to_owned())),
            Some(B::V2Class(svc)) => Some(B::Client(svc, Style::CamelCase, js_keys(c))),
            Some(B::V2DocClass) => Some(B::Client("dynamodb", Style::Document, js_keys(c))),
            Some(B::V3Class(svc, style)) => Some(B::Client(svc, style, js_keys(c))),
            Some(B::V3DocClass(style)) => {
                let inner = c.positional(0).and_then(|a| self.eval(a));
                Some(B::Client(
                    "dynamodb",
                    style,
                    matches!(inner, Some(B::Client(_, _, true))),
                ))
            }
            _ => {
                // Method calls: `Environ.get('X')`, `DynamoDBDocumentClient.from(c)`,
                // `resource.Table(name)`, `s3.Object(b, k)`.
                let ExprKind::Member(obj, method) = &c.callee.kind else {
                    return None;
                };
                let target = self.eval(obj)?;
                let arg = |i: usize, kw: &str| -> ResourceRef {
                    c.keyword(kw)
                        .or_else(|| c.positional(i))
                        .and_then(|a| self.eval(a))
                        .map_or(ResourceRef::Unknown, |b| b.resource_ref())
                };
                match (target, method.as_str()) {
                    (B::Environ, "get") => c.positional(0)?.as_str().map(|n| B::Env(n.to_owned())),
                    (B::V3DocClass(style), "from") => {
                        let inner = c.positional(0).and_then(|a| self.eval(a));
                        Some(B::Client(
                            "dynamodb",
                            style,
                            matches!(inner, Some(B::Client(_, _, true))),
                        ))
                    }
                    (B::Client("dynamodb", Style::Boto3Resource, _), "Table") => {
                        Some(B::Table(arg(0, "name")))
                    }
                    (B::Client("s3", Style::Boto3Resource, _), "Object") => {
                        Some(B::S3Object(arg(0, "bucket_name"), arg(1, "key")))
                    }
                    (B::Client("s3", Style::Boto3Resource, _), "Bucket") => {
                        Some(B::S3Bucket(arg(0, "name")))
                    }
                    (B::S3Bucket(b), "Object") => Some(B::S3Object(b, arg(0, "key"))),
                    (B::Client("sqs", Style::Boto3Resource, _), "Queue") => {
                        Some(B::SqsQueue(arg(0, "url")))
                    }
                    (B::Client("sqs", Style::Boto3Resource, _), "get_queue_by_name") => {
                        Some(B::SqsQueue(arg(0, "QueueName")))
                    }
                    (B::Client("sns", Style::Boto3Resource, _), "Topic") => {
                        Some(B::SnsTopic(arg(0, "arn")))
                    }
                    _ => None,
                }
            }
        }
    }

    /// Walks an expression, recording every SDK call in it.
    fn visit(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::Call(c) => {
                self.visit(&c.callee);
                for a in &c.args {
                    self.visit(&a.value);
                }
                self.call(e, c);
            }
            ExprKind::Member(o, _) | ExprKind::Not(o) => self.visit(o),
            ExprKind::Index(o, i) => {
                self.visit(o);
                self.visit(i);
                let sdk = self.eval(o).is_some_and(|b| {
                    b.is_sdk_object() || matches!(b, B::AwsV2 | B::V3Module(_) | B::Boto3)
                });
                if sdk && i.as_str().is_none() {
                    self.opaque(e, "an SDK operation is chosen at run time");
                }
            }
            ExprKind::Template(parts) | ExprKind::Array(parts) | ExprKind::Unknown(parts) => {
                for p in parts {
                    self.visit(p);
                }
            }
            ExprKind::Binary(_, a, b) => {
                self.visit(a);
                self.visit(b);
            }
            ExprKind::Object(props) => {
                for p in props {
                    self.visit(&p.value);
                }
            }
            ExprKind::Func(f) => self.function(f),
            ExprKind::Cond(c, a, b) => {
                self.visit(c);
                self.visit(a);
                self.visit(b);
            }
            ExprKind::Assign(p, v) => {
                self.visit(v);
                let b = self.eval(v);
                self.bind(p, b);
            }
            ExprKind::Name(_) | ExprKind::Str(_) | ExprKind::Const(_) | ExprKind::Bool(_) => {}
        }
    }

    /// Resource parameters of a params object (JS) or keyword arguments (Python).
    fn params_of(&self, c: &Call, python: bool) -> Vec<(String, ResourceRef)> {
        let mut out = Vec::new();
        if python {
            for a in &c.args {
                if let Some(n) = &a.name
                    && RESOURCE_PARAMS.contains(&n.as_str())
                {
                    out.push((n.clone(), self.resource_of(&a.value)));
                }
            }
        } else if let Some(ExprKind::Object(props)) = c.positional(0).map(|a| &a.kind) {
            out = self.props_params(props);
        }
        out
    }

    fn props_params(&self, props: &[crate::ir::Prop]) -> Vec<(String, ResourceRef)> {
        let mut out = Vec::new();
        for p in props {
            match &p.key {
                Some(k) if RESOURCE_PARAMS.contains(&k.as_str()) => {
                    out.push((k.clone(), self.resource_of(&p.value)));
                }
                // A shorthand `{ TableName }` lowers to a name: resolved like any value.
                _ => {}
            }
        }
        out
    }

    fn resource_of(&self, e: &Expr) -> ResourceRef {
        if let ExprKind::Template(parts) = &e.kind {
            // `${process.env.BUCKET}` alone, or a literal prefix with a variable tail.
            let refs: Vec<ResourceRef> = parts
                .iter()
                .map(|p| match p.as_str() {
                    Some(s) => ResourceRef::Literal(s.to_owned()),
                    None => self.resource_of(p),
                })
                .collect();
            if let [one] = refs.as_slice() {
                return one.clone();
            }
            return ResourceRef::Unknown;
        }
        self.eval(e)
            .map_or(ResourceRef::Unknown, |b| b.resource_ref())
    }

    fn record(&mut self, e: &Expr, mapped: Mapped, op: String, params: Vec<(String, ResourceRef)>) {
        match mapped {
            Mapped::Actions(actions) => {
                let origin = self.origin(e);
                if actions.is_empty() {
                    // An operation no permission governs (`sts:GetCallerIdentity`).
                    return;
                }
                self.out.calls.push(SdkCall {
                    actions,
                    params,
                    origin,
                    operation: op,
                    role_credentials: !self.foreign,
                });
            }
            Mapped::Unknown(name) => self.out.unknown_operations.push(name),
        }
    }

    fn call(&mut self, e: &Expr, c: &Call) {
        self.foreign = false;
        self.call_inner(e, c);
        self.foreign = false;
    }

    fn call_inner(&mut self, e: &Expr, c: &Call) {
        if let ExprKind::Name(n) = &c.callee.kind
            && n == "require"
            && !self.scope.contains_key("require")
        {
            match c.positional(0).and_then(Expr::as_str) {
                Some(spec) if module_binding(spec).is_none() => {
                    self.out.imports.push(spec.to_owned())
                }
                Some(_) => {}
                None => self.opaque(e, "a module is required by a computed name"),
            }
            return;
        }
        // Python `getattr(client, name)`: an operation chosen at run time.
        if let ExprKind::Name(n) = &c.callee.kind
            && n == "getattr"
            && c.positional(0)
                .and_then(|a| self.eval(a))
                .is_some_and(|b| b.is_sdk_object())
        {
            self.opaque(e, "an SDK operation is chosen at run time");
            return;
        }
        match self.eval(&c.callee) {
            Some(B::Boto3Fn(..)) => {
                match c
                    .keyword("service_name")
                    .or_else(|| c.positional(0))
                    .and_then(Expr::as_str)
                {
                    None => self.opaque(e, "an SDK client's service is chosen at run time"),
                    Some(s) if service_prefix(s).is_none() => {
                        self.opaque(e, &format!("the SDK service `{s}` is not mapped to IAM"))
                    }
                    Some(_) => {}
                }
                return;
            }
            Some(B::V3Command(svc, op)) if c.is_new => {
                let params = self.params_of(c, false);
                self.record(e, map_operation(svc, &op), format!("{op}Command"), params);
                return;
            }
            Some(B::V3DocCommand(op)) if c.is_new => {
                let params = self.params_of(c, false);
                self.record(e, map_document_client(&op), format!("{op}Command"), params);
                return;
            }
            Some(B::V3Paginator(svc, op)) => {
                let params = match c.positional(1).map(|a| &a.kind) {
                    Some(ExprKind::Object(props)) => self.props_params(props),
                    _ => Vec::new(),
                };
                self.record(e, map_operation(svc, &op), format!("paginate{op}"), params);
                return;
            }
            Some(B::LibStorageUpload) if c.is_new => {
                let params = match c.positional(0).map(|a| &a.kind) {
                    Some(ExprKind::Object(props)) => props
                        .iter()
                        .find(|p| p.key.as_deref() == Some("params"))
                        .and_then(|p| match &p.value.kind {
                            ExprKind::Object(inner) => Some(self.props_params(inner)),
                            _ => None,
                        })
                        .unwrap_or_default(),
                    _ => Vec::new(),
                };
                self.record(e, map_operation("s3", "Upload"), "Upload".into(), params);
                return;
            }
            _ => {}
        }
        let ExprKind::Member(obj, method) = &c.callee.kind else {
            // A client or table handed to other code: what it calls is not seen here.
            for a in &c.args {
                if self.eval(&a.value).is_some_and(|b| b.is_sdk_object()) {
                    self.opaque(&a.value, "an SDK client is passed to other code");
                }
            }
            return;
        };
        if c.is_new
            && self.eval(obj) == Some(B::AwsV2)
            && method.starts_with(|ch: char| ch.is_ascii_uppercase())
            && service_prefix(method).is_none()
        {
            self.opaque(
                e,
                &format!("the SDK service `{method}` is not mapped to IAM"),
            );
            return;
        }
        let Some(target) = self.eval(obj) else {
            for a in &c.args {
                if self.eval(&a.value).is_some_and(|b| b.is_sdk_object()) {
                    self.opaque(&a.value, "an SDK client is passed to other code");
                }
            }
            return;
        };
        let m = method.as_str();
        if let B::Client(_, _, true) = target {
            self.foreign = true;
        }
        match target {
            B::Client(svc, Style::Boto3Client, _) => self.boto3_client_call(e, c, svc, m),
            B::Client(svc, Style::CamelCase, _) => self.camel_call(e, c, svc, m),
            B::Client(_, Style::Document, _) if !is_helper_method(m) => {
                let params = self.params_of(c, false);
                self.record(e, map_document_client(m), m.to_owned(), params);
            }
            B::Client(_, Style::Send, true) if m == "send" => {
                // Commands built inside `send(...)` run with the client's own credentials.
                for call in &mut self.out.calls {
                    if call.origin.span.start >= e.span.start && call.origin.span.end <= e.span.end
                    {
                        call.role_credentials = false;
                    }
                }
            }
            B::Client(..) => {}
            B::Table(table) => {
                let mut params = vec![("TableName".to_owned(), table)];
                params.extend(self.params_of(c, true));
                self.record(e, map_table_method(m), m.to_owned(), params);
            }
            B::S3Object(bucket, key) => {
                let op = match m {
                    "get" => "GetObject",
                    "put" => "PutObject",
                    "delete" => "DeleteObject",
                    "load" | "reload" => "HeadObject",
                    "copy_from" => "CopyObject",
                    other => return self.s3_resource_other(e, other, bucket, Some(key)),
                };
                let params = vec![("Bucket".to_owned(), bucket), ("Key".to_owned(), key)];
                self.record(e, map_operation("s3", op), m.to_owned(), params);
            }
            B::S3Bucket(bucket) => self.s3_resource_other(e, m, bucket, None),
            B::S3BucketObjects(bucket) => {
                let params = vec![("Bucket".to_owned(), bucket)];
                self.record(e, map_operation("s3", "ListObjects"), m.to_owned(), params);
            }
            B::SqsQueue(q) => {
                let op = match m {
                    "send_messages" => "SendMessageBatch".to_owned(),
                    "receive_messages" => "ReceiveMessage".to_owned(),
                    "delete_messages" => "DeleteMessageBatch".to_owned(),
                    other => snake_to_pascal(other),
                };
                let params = vec![("QueueUrl".to_owned(), q)];
                self.record(e, map_operation("sqs", &op), m.to_owned(), params);
            }
            B::SnsTopic(t) => {
                let params = vec![("TopicArn".to_owned(), t)];
                self.record(
                    e,
                    map_operation("sns", &snake_to_pascal(m)),
                    m.to_owned(),
                    params,
                );
            }
            _ => {}
        }
    }

    fn s3_resource_other(
        &mut self,
        e: &Expr,
        m: &str,
        bucket: ResourceRef,
        key: Option<ResourceRef>,
    ) {
        if is_helper_method(m) {
            return;
        }
        let mut params = vec![("Bucket".to_owned(), bucket)];
        if let Some(k) = key {
            params.push(("Key".to_owned(), k));
        }
        self.record(
            e,
            map_operation("s3", &snake_to_pascal(m)),
            m.to_owned(),
            params,
        );
    }

    fn boto3_client_call(&mut self, e: &Expr, c: &Call, svc: &'static str, m: &str) {
        if is_helper_method(m) {
            return;
        }
        let (op, params) = match m {
            "get_paginator" => match c.positional(0).and_then(Expr::as_str) {
                Some(op) => (snake_to_pascal(op), Vec::new()),
                None => return self.opaque(e, "a paginator is chosen at run time"),
            },
            "generate_presigned_url" | "generate_presigned_post" => {
                let op = if m == "generate_presigned_post" {
                    "GeneratePresignedPost".to_owned()
                } else {
                    match c
                        .keyword("ClientMethod")
                        .or_else(|| c.positional(0))
                        .and_then(Expr::as_str)
                    {
                        Some(op) => snake_to_pascal(op),
                        None => {
                            return self.opaque(e, "a presigned operation is chosen at run time");
                        }
                    }
                };
                let params = match c.keyword("Params").map(|p| &p.kind) {
                    Some(ExprKind::Object(props)) => self.props_params(props),
                    _ => self.params_of(c, true),
                };
                (op, params)
            }
            _ => {
                let mut params = self.params_of(c, true);
                // S3 transfer helpers take the bucket and key positionally.
                let positions: &[(&str, usize)] = match (svc, m) {
                    ("s3", "upload_file" | "upload_fileobj") => &[("Bucket", 1), ("Key", 2)],
                    ("s3", "download_file" | "download_fileobj") => &[("Bucket", 0), ("Key", 1)],
                    _ => &[],
                };
                for (name, i) in positions {
                    if let Some(v) = c.positional(*i)
                        && !params.iter().any(|(n, _)| n == name)
                    {
                        params.push(((*name).to_owned(), self.resource_of(v)));
                    }
                }
                (snake_to_pascal(m), params)
            }
        };
        self.record(e, map_operation(svc, &op), m.to_owned(), params);
    }

    fn camel_call(&mut self, e: &Expr, c: &Call, svc: &'static str, m: &str) {
        if is_helper_method(m) {
            return;
        }
        if m == "getSignedUrl" || m == "getSignedUrlPromise" {
            let Some(op) = c.positional(0).and_then(Expr::as_str) else {
                return self.opaque(e, "a presigned operation is chosen at run time");
            };
            let params = match c.positional(1).map(|a| &a.kind) {
                Some(ExprKind::Object(props)) => self.props_params(props),
                _ => Vec::new(),
            };
            return self.record(
                e,
                map_operation(svc, &camel_to_pascal(op)),
                m.to_owned(),
                params,
            );
        }
        let params = self.params_of(c, false);
        self.record(
            e,
            map_operation(svc, &camel_to_pascal(m)),
            m.to_owned(),
            params,
        );
    }
}

/// True when a boto3 `client`/`resource`/`Session` call passes its own keys.
fn boto3_keys(c: &Call) -> bool {
    ["aws_access_key_id", "aws_session_token", "botocore_session"]
        .iter()
        .any(|k| c.keyword(k).is_some())
}

/// True when a JavaScript client is constructed with its own credentials.
fn js_keys(c: &Call) -> bool {
    match c.positional(0).map(|a| &a.kind) {
        Some(ExprKind::Object(props)) => props.iter().any(|p| {
            matches!(
                p.key.as_deref(),
                Some("credentials" | "accessKeyId" | "secretAccessKey" | "sessionToken")
            )
        }),
        _ => false,
    }
}
