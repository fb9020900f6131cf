//! One `functions.<key>` entry as a model [`Function`], with the provider-level settings it
//! inherits (`runtime`, `memorySize`, `timeout`, `environment` merged key by key, `kmsKeyArn`,
//! `tracing`, `vpc`, `layers`), its function URL and a CloudFormation-shaped `properties` map
//! (`Handler`, `Runtime`, `Environment.Variables`, `TracingConfig.Mode`, …) whose every value keeps
//! its line in `serverless.yml`.

use super::service::{Service, map_node, str_node};
use warden_model::{
    EnvVar, Function, FunctionKind, FunctionUrl, Key, Node, RoleLink, Trigger, Val,
};
use warden_source::Origin;

/// The framework's defaults when neither the function nor the provider sets them.
const DEFAULT_MEMORY: &str = "1024";
const DEFAULT_TIMEOUT: &str = "6";

pub fn lower(
    svc: &Service<'_>,
    key: &Key,
    def: &Node,
    role: RoleLink,
    triggers: Vec<Trigger>,
) -> Function {
    let origin = &key.origin;
    let environment = environment(svc, def);
    let tracing = tracing(svc, def);
    let kms_key = svc
        .inherited(def, "kmsKeyArn")
        .or_else(|| svc.inherited(def, "awsKmsKeyArn"))
        .map(|(_, v)| v.clone());
    let memory = svc.inherited(def, "memorySize").map_or_else(
        || Node::new(Val::Num(DEFAULT_MEMORY.into()), origin.clone()),
        |(_, v)| v.clone(),
    );
    let timeout = svc.inherited(def, "timeout").map_or_else(
        || Node::new(Val::Num(DEFAULT_TIMEOUT.into()), origin.clone()),
        |(_, v)| v.clone(),
    );
    let vpc = svc.inherited(def, "vpc").map(|(_, v)| v.clone());
    let layers: Vec<Node> = svc
        .inherited(def, "layers")
        .map(|(_, v)| v.items().to_vec())
        .unwrap_or_default();
    let dead_letter = def
        .get("onError")
        .or_else(|| def.at(&["destinations", "onFailure"]))
        .cloned();
    let code_uri = def
        .at(&["package", "artifact"])
        .or_else(|| def.get("image"))
        .cloned()
        .or_else(|| Some(str_node(".", origin)));

    let mut props: Vec<(String, Option<Origin>, Node)> = Vec::new();
    let mut put = |name: &str, key_origin: Option<&Origin>, value: Node| {
        props.push((name.to_string(), key_origin.cloned(), value));
    };
    let name = def.get("name").cloned().unwrap_or_else(|| {
        let service = svc.service_text();
        super::service::partial_node(
            "function name",
            format!("{service}-{}-{}", svc.stage, key.name),
            origin,
        )
    });
    put("FunctionName", Some(origin), name);
    for (from, to) in [
        ("handler", "Handler"),
        ("runtime", "Runtime"),
        ("description", "Description"),
        ("reservedConcurrency", "ReservedConcurrentExecutions"),
    ] {
        if let Some((k, v)) = svc.inherited(def, from) {
            put(to, Some(&k.origin), v.clone());
        }
    }
    put("MemorySize", None, memory.clone());
    put("Timeout", None, timeout.clone());
    if let Some((k, v)) = svc.inherited(def, "architecture") {
        put(
            "Architectures",
            Some(&k.origin),
            Node::new(Val::List(vec![v.clone()]), v.origin.clone()),
        );
    }
    if !environment.is_empty() {
        let vars = map_node(
            environment
                .iter()
                .map(|e| (e.name.clone(), Some(e.origin.clone()), e.value.clone()))
                .collect(),
            origin,
        );
        put(
            "Environment",
            None,
            map_node(vec![("Variables".into(), None, vars)], origin),
        );
    }
    if let Some(k) = &kms_key {
        put("KmsKeyArn", None, k.clone());
    }
    if let Some(t) = &tracing {
        put(
            "TracingConfig",
            None,
            map_node(vec![("Mode".into(), None, t.clone())], &t.origin),
        );
    }
    if let Some(v) = &vpc {
        let mut entries = Vec::new();
        for (from, to) in [
            ("securityGroupIds", "SecurityGroupIds"),
            ("subnetIds", "SubnetIds"),
        ] {
            if let Some((k, val)) = v.entry(from) {
                entries.push((to.to_string(), Some(k.origin.clone()), val.clone()));
            }
        }
        put("VpcConfig", None, map_node(entries, &v.origin));
    }
    if !layers.is_empty() {
        put(
            "Layers",
            None,
            Node::new(Val::List(layers.clone()), origin.clone()),
        );
    }
    if let Some(d) = &dead_letter {
        put(
            "DeadLetterConfig",
            None,
            map_node(vec![("TargetArn".into(), None, d.clone())], &d.origin),
        );
    }
    if let Some((k, v)) = svc.inherited(def, "logRetentionInDays") {
        put("LogRetentionInDays", Some(&k.origin), v.clone());
    }

    Function {
        id: key.name.clone(),
        kind: FunctionKind::LambdaFunction,
        origin: origin.clone(),
        runtime: svc.inherited(def, "runtime").map(|(_, v)| v.clone()),
        handler: def.get("handler").cloned(),
        code_uri,
        role,
        environment,
        kms_key,
        triggers,
        url: url(def),
        reserved_concurrency: def.get("reservedConcurrency").cloned(),
        timeout: Some(timeout),
        memory_size: Some(memory),
        tracing,
        layers,
        dead_letter,
        vpc,
        code_signing: None,
        identity: None,
        properties: map_node(props, origin),
    }
}

/// `provider.environment` then the function's `environment`; the function wins per name.
fn environment(svc: &Service<'_>, def: &Node) -> Vec<EnvVar> {
    let mut vars: Vec<EnvVar> = Vec::new();
    for block in [svc.provider_at(&["environment"]), def.get("environment")]
        .into_iter()
        .flatten()
    {
        for (k, v) in block.entries() {
            let var = EnvVar {
                name: k.name.clone(),
                origin: k.origin.clone(),
                value: v.clone(),
            };
            match vars.iter_mut().find(|e| e.name == k.name) {
                Some(existing) => *existing = var,
                None => vars.push(var),
            }
        }
    }
    vars
}

/// The tracing mode: the function's `tracing`, else `provider.tracing.lambda` (`true` → `Active`).
fn tracing(svc: &Service<'_>, def: &Node) -> Option<Node> {
    let node = def
        .get("tracing")
        .or_else(|| svc.provider_at(&["tracing", "lambda"]))?;
    match &node.val {
        Val::Bool(true) => Some(Node::new(Val::Str("Active".into()), node.origin.clone())),
        Val::Bool(false) | Val::Null => None,
        Val::Str(s) if s.eq_ignore_ascii_case("true") => {
            Some(Node::new(Val::Str("Active".into()), node.origin.clone()))
        }
        Val::Str(s) if s.eq_ignore_ascii_case("false") => None,
        _ => Some(node.clone()),
    }
}

/// `url: true` (public: `AuthType NONE`), `url: {authorizer: aws_iam, cors: …}`.
fn url(def: &Node) -> Option<FunctionUrl> {
    let (key, value) = def.entry("url")?;
    match &value.val {
        Val::Bool(false) | Val::Null => None,
        Val::Str(s) if s.eq_ignore_ascii_case("false") => None,
        Val::Map(_) => {
            let auth_type = match value.get("authorizer") {
                Some(a)
                    if a.as_str()
                        .is_some_and(|s| s.eq_ignore_ascii_case("aws_iam")) =>
                {
                    Node::new(Val::Str("AWS_IAM".into()), a.origin.clone())
                }
                Some(a) if a.is_unknown() => a.clone(),
                Some(a) => Node::new(
                    Val::Str(a.as_str().unwrap_or("INVALID").to_ascii_uppercase()),
                    a.origin.clone(),
                ),
                None => Node::new(Val::Str("NONE".into()), key.origin.clone()),
            };
            Some(FunctionUrl {
                origin: key.origin.clone(),
                auth_type,
                cors: value.get("cors").cloned(),
            })
        }
        Val::Unknown(_) => Some(FunctionUrl {
            origin: key.origin.clone(),
            auth_type: value.clone(),
            cors: None,
        }),
        _ => Some(FunctionUrl {
            origin: key.origin.clone(),
            auth_type: Node::new(Val::Str("NONE".into()), key.origin.clone()),
            cors: None,
        }),
    }
}
