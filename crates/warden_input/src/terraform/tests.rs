//! Evaluator tests over real files in temporary directories.

use super::*;
use crate::classify;
use crate::discover::{self, DiscoverOptions};
use warden_model::Val;

fn run(files: &[(&str, &str)], vars: &[(&str, &str)]) -> (Vec<RootModule>, GroupLoad) {
    let dir = tempfile::tempdir().unwrap();
    run_in(dir.path(), files, vars)
}

fn run_in(
    root: &Path,
    files: &[(&str, &str)],
    vars: &[(&str, &str)],
) -> (Vec<RootModule>, GroupLoad) {
    let mut terraform = Options::default();
    for (name, value) in vars {
        terraform.var(*name, *value);
    }
    run_with(root, files, terraform)
}

fn run_with(
    root: &Path,
    files: &[(&str, &str)],
    terraform: Options,
) -> (Vec<RootModule>, GroupLoad) {
    for (rel, text) in files {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let (found, _) = discover::discover(root, &DiscoverOptions::default()).unwrap();
    let classified: Vec<_> = found
        .into_iter()
        .map(|f| {
            let head = std::fs::read(&f.path).unwrap();
            let kind = classify::classify(Path::new(&f.rel), &head);
            (f, kind)
        })
        .collect();
    let opts = LoadOptions {
        terraform,
        ..LoadOptions::default()
    };
    let mut out = GroupLoad::default();
    let roots = evaluate(root, &classified, &opts, &mut out);
    (roots, out)
}

fn res<'a>(roots: &'a [RootModule], address: &str) -> &'a TfResource {
    roots
        .iter()
        .flat_map(|r| &r.resources)
        .find(|r| r.address == address)
        .unwrap_or_else(|| {
            let all: Vec<_> = roots
                .iter()
                .flat_map(|r| &r.resources)
                .map(|r| &r.address)
                .collect();
            panic!("no {address} in {all:?}")
        })
}

#[test]
fn templates_variables_and_references() {
    let (roots, out) = run(
        &[(
            "main.tf",
            r#"
variable "stage" { default = "prod" }
variable "secret" {}
locals {
  name = "orders-${var.stage}"
  arn  = "arn:aws:s3:::${aws_s3_bucket.b.bucket}/*"
}
resource "aws_s3_bucket" "b" { bucket = "data-${var.stage}" }
resource "aws_lambda_function" "api" {
  function_name = local.name
  role          = aws_iam_role.fn.arn
  environment {
    variables = {
      TOKEN  = var.secret
      BUCKET = local.arn
    }
  }
}
"#,
        )],
        &[],
    );
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let f = res(&roots, "aws_lambda_function.api");
    assert_eq!(
        f.body.get("function_name").and_then(Node::as_str),
        Some("orders-prod")
    );
    let role = f.body.get("role").unwrap().as_unknown().unwrap();
    assert_eq!(role.resource.as_deref(), Some("aws_iam_role.fn"));
    let vars = f.body.at(&["environment"]).unwrap().items()[0]
        .get("variables")
        .unwrap();
    let token = vars.get("TOKEN").unwrap().as_unknown().unwrap();
    assert_eq!(token.reason, "variable without default");
    let bucket = vars.get("BUCKET").unwrap().as_unknown().unwrap();
    assert_eq!(bucket.resource.as_deref(), Some("aws_s3_bucket.b"));
    // The bucket name is literal in the referenced block: it fills the partial string.
    assert_eq!(bucket.partial.as_deref(), Some("arn:aws:s3:::data-prod/*"));
    // Origins point where a value is written: the attribute for a reference, the local's
    // definition for a value computed there.
    let role = f.body.get("role").unwrap();
    assert_eq!(&*role.origin.file, "main.tf");
    assert_eq!(&*role.origin.path, "resource.aws_lambda_function.api.role");
    let name = f.body.get("function_name").unwrap();
    assert_eq!(&*name.origin.path, "locals.name");
}

#[test]
fn literal_attributes_of_referenced_blocks_are_partial_values() {
    let (roots, _) = run(
        &[(
            "main.tf",
            r#"
resource "aws_iam_role" "fn" { name = "orders-fn" }
resource "aws_iam_role_policy" "p" { role = aws_iam_role.fn.name }
"#,
        )],
        &[],
    );
    let p = res(&roots, "aws_iam_role_policy.p");
    let u = p.body.get("role").unwrap().as_unknown().unwrap();
    assert_eq!(u.resource.as_deref(), Some("aws_iam_role.fn"));
    assert_eq!(u.partial.as_deref(), Some("orders-fn"));
}

#[test]
fn try_and_can_skip_failed_lookups_but_keep_apply_time_values() {
    let (roots, _) = run(
        &[(
            "main.tf",
            r#"
data "aws_caller_identity" "current" {}
locals {
  triggers = {
    rule = { source_arn = "arn:aws:events:eu-west-1:${data.aws_caller_identity.current.account_id}:rule/x" }
    bare = { principal = "s3.amazonaws.com" }
  }
}
resource "aws_lambda_permission" "p" {
  for_each   = local.triggers
  source_arn = try(each.value.source_arn, null)
  known      = can(each.value.source_arn)
}
"#,
        )],
        &[],
    );
    let rule = res(&roots, "aws_lambda_permission.p[\"rule\"]");
    let arn = rule.body.get("source_arn").unwrap();
    assert!(arn.is_unknown(), "an apply-time value is kept: {arn:?}");
    assert_eq!(rule.body.get("known").and_then(|k| k.as_bool()), Some(true));
    let bare = res(&roots, "aws_lambda_permission.p[\"bare\"]");
    assert!(matches!(
        bare.body.get("source_arn").map(|v| &v.val),
        Some(Val::Null)
    ));
    assert_eq!(
        bare.body.get("known").and_then(|k| k.as_bool()),
        Some(false)
    );
}

#[test]
fn for_expressions_functions_and_conditionals() {
    let (roots, _) = run(
        &[(
            "main.tf",
            r#"
locals {
  names  = ["a", "b", "c"]
  upper  = { for n in local.names : n => upper(n) if n != "b" }
  joined = join(",", [for n in local.names : "x-${n}"])
  merged = merge({ a = 1 }, { b = 2 }, { a = 3 })
  pick   = length(local.names) > 2 ? "many" : "few"
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:*" }] })
  splat  = [{ id = 1 }, { id = 2 }][*].id
  fmt    = format("%s:%d", "n", 7)
}
resource "null_resource" "x" {
  triggers = {
    upper  = local.upper
    joined = local.joined
    merged = local.merged
    pick   = local.pick
    policy = local.policy
    splat  = local.splat
    fmt    = local.fmt
    math   = 2 * 3 + 1
  }
}
"#,
        )],
        &[],
    );
    let t = res(&roots, "null_resource.x")
        .body
        .get("triggers")
        .unwrap()
        .clone();
    let upper = t.get("upper").unwrap();
    assert_eq!(upper.get("a").and_then(Node::as_str), Some("A"));
    assert!(upper.get("b").is_none());
    assert_eq!(t.get("joined").and_then(Node::as_str), Some("x-a,x-b,x-c"));
    assert_eq!(t.at(&["merged", "a"]).and_then(Node::as_str), Some("3"));
    assert_eq!(t.get("pick").and_then(Node::as_str), Some("many"));
    // jsonencode keeps the structure: the policy is a document, not an opaque string.
    assert_eq!(
        t.get("policy").unwrap().get("Statement").unwrap().items()[0]
            .get("Action")
            .and_then(Node::as_str),
        Some("s3:*")
    );
    assert_eq!(t.get("splat").unwrap().items().len(), 2);
    assert_eq!(t.get("fmt").and_then(Node::as_str), Some("n:7"));
    assert_eq!(t.get("math").and_then(Node::as_str), Some("7"));
}

#[test]
fn count_and_for_each_expand_instances() {
    let (roots, _) = run(
        &[(
            "main.tf",
            r#"
variable "queues" { default = { orders = "o", billing = "b" } }
variable "n" {}
resource "aws_sqs_queue" "q" {
  for_each = var.queues
  name     = "${each.key}-${each.value}"
}
resource "aws_sns_topic" "t" {
  count = 2
  name  = "topic-${count.index}"
}
resource "aws_sns_topic" "u" {
  count = var.n
  name  = "u-${count.index}"
}
"#,
        )],
        &[],
    );
    assert_eq!(
        res(&roots, "aws_sqs_queue.q[\"orders\"]")
            .body
            .get("name")
            .and_then(Node::as_str),
        Some("orders-o")
    );
    assert!(
        roots[0]
            .resources
            .iter()
            .any(|r| r.address == "aws_sqs_queue.q[\"billing\"]")
    );
    assert_eq!(
        res(&roots, "aws_sns_topic.t[1]")
            .body
            .get("name")
            .and_then(Node::as_str),
        Some("topic-1")
    );
    // Unknown count: one instance whose index is unknown.
    let u = res(&roots, "aws_sns_topic.u");
    assert!(u.body.get("name").unwrap().is_unknown());
}

#[test]
fn cyclic_locals_are_unknown_not_a_hang() {
    let (roots, out) = run(
        &[(
            "main.tf",
            r#"
locals {
  a = "${local.b}-x"
  b = local.a
  c = local.c
}
resource "null_resource" "x" { triggers = { a = local.a, c = local.c } }
"#,
        )],
        &[],
    );
    assert!(out.errors.is_empty());
    let t = res(&roots, "null_resource.x")
        .body
        .get("triggers")
        .unwrap()
        .clone();
    assert!(t.get("a").unwrap().is_unknown());
    let c = t.get("c").unwrap().as_unknown().unwrap();
    assert!(c.reason.contains("cycle"), "{}", c.reason);
}

#[test]
fn tfvars_auto_tfvars_and_cli_vars_in_order() {
    let files = [
        (
            "main.tf",
            r#"
variable "a" { default = "default" }
variable "b" { default = "default" }
variable "c" { default = "default" }
variable "list" { default = [] }
resource "null_resource" "x" {
  triggers = { a = var.a, b = var.b, c = var.c, n = length(var.list) }
}
"#,
        ),
        (
            "terraform.tfvars",
            "a = \"tfvars\"\nb = \"tfvars\"\nc = \"tfvars\"\n",
        ),
        ("z.auto.tfvars", "b = \"auto\"\nc = \"auto\"\n"),
        ("prod.tfvars", "a = \"not-auto-loaded\"\n"),
    ];
    let (roots, _) = run(&files, &[("c", "cli"), ("list", "[\"x\", \"y\"]")]);
    let t = res(&roots, "null_resource.x")
        .body
        .get("triggers")
        .unwrap()
        .clone();
    assert_eq!(t.get("a").and_then(Node::as_str), Some("tfvars"));
    assert_eq!(t.get("b").and_then(Node::as_str), Some("auto"));
    assert_eq!(t.get("c").and_then(Node::as_str), Some("cli"));
    assert_eq!(t.get("n").and_then(Node::as_str), Some("2"));
    // Values point where they are written: the variable file, or the declaration for `--var`.
    assert_eq!(&*t.get("b").unwrap().origin.file, "z.auto.tfvars");
    assert_eq!(&*t.get("c").unwrap().origin.file, "main.tf");
    assert_eq!(&*t.get("c").unwrap().origin.path, "var.c");
}

#[test]
fn local_modules_are_followed_with_inputs_and_outputs() {
    let (roots, _) = run(
        &[
            (
                "main.tf",
                r#"
module "fn" {
  source = "./modules/fn"
  name   = "orders"
}
module "remote" {
  source = "terraform-aws-modules/lambda/aws"
}
resource "null_resource" "x" { triggers = { role = module.fn.role_name, r = module.remote.arn } }
"#,
            ),
            (
                "modules/fn/main.tf",
                r#"
variable "name" {}
resource "aws_iam_role" "this" { name = "${var.name}-role" }
output "role_name" { value = aws_iam_role.this.name }
"#,
            ),
        ],
        &[],
    );
    // The called directory is not a root module of its own.
    assert_eq!(roots.len(), 1);
    let role = res(&roots, "module.fn.aws_iam_role.this");
    assert_eq!(
        role.body.get("name").and_then(Node::as_str),
        Some("orders-role")
    );
    let t = res(&roots, "null_resource.x")
        .body
        .get("triggers")
        .unwrap()
        .clone();
    let out = t.get("role").unwrap().as_unknown().unwrap();
    assert_eq!(out.resource.as_deref(), Some("module.fn.aws_iam_role.this"));
    assert_eq!(out.partial.as_deref(), Some("orders-role"));
    assert!(
        t.get("r")
            .unwrap()
            .as_unknown()
            .unwrap()
            .reason
            .contains("not fetched")
    );
}

#[test]
fn policy_documents_render_to_policy_json() {
    let (roots, _) = run(
        &[(
            "main.tf",
            r#"
data "aws_iam_policy_document" "p" {
  statement {
    sid       = "All"
    actions   = ["s3:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::123456789012:root"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = ["123456789012"]
    }
  }
  dynamic "statement" {
    for_each = ["sqs:SendMessage", "sns:Publish"]
    content {
      actions   = [statement.value]
      resources = ["*"]
    }
  }
}
resource "aws_iam_policy" "x" { policy = data.aws_iam_policy_document.p.json }
"#,
        )],
        &[],
    );
    let doc = res(&roots, "aws_iam_policy.x")
        .body
        .get("policy")
        .unwrap()
        .clone();
    assert_eq!(
        doc.get("Version").and_then(Node::as_str),
        Some("2012-10-17")
    );
    let sts = doc.get("Statement").unwrap().items();
    assert_eq!(sts.len(), 3);
    assert_eq!(sts[0].get("Effect").and_then(Node::as_str), Some("Allow"));
    assert_eq!(
        sts[0].get("Action").unwrap().items()[0].as_str(),
        Some("s3:*")
    );
    assert_eq!(
        sts[0].at(&["Principal", "AWS"]).unwrap().items()[0].as_str(),
        Some("arn:aws:iam::123456789012:root")
    );
    assert!(
        sts[0]
            .at(&["Condition", "StringEquals", "aws:SourceAccount"])
            .is_some()
    );
    assert_eq!(
        sts[2].get("Action").unwrap().items()[0].as_str(),
        Some("sns:Publish")
    );
    // The action keeps its origin in main.tf.
    let action = &sts[0].get("Action").unwrap().items()[0];
    assert_eq!(&*action.origin.file, "main.tf");
    assert!(action.origin.span.start > 0);
}

#[test]
fn file_reads_are_confined_and_missing_files_are_unknown() {
    let outer = tempfile::tempdir().unwrap();
    std::fs::write(outer.path().join("secret.txt"), "outside").unwrap();
    let root = outer.path().join("proj");
    std::fs::create_dir_all(&root).unwrap();
    let (roots, out) = run_in(
        &root,
        &[
            (
                "policy.json",
                r#"{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}"#,
            ),
            ("greeting.tpl", "hello ${name}%{ if loud }!%{ endif }"),
            (
                "main.tf",
                r#"
resource "null_resource" "x" {
  triggers = {
    policy  = jsondecode(file("${path.module}/policy.json"))
    tpl     = templatefile("greeting.tpl", { name = "bob", loud = true })
    outside = file("../secret.txt")
    missing = file("nope.json")
  }
}
"#,
            ),
        ],
        &[],
    );
    let t = res(&roots, "null_resource.x")
        .body
        .get("triggers")
        .unwrap()
        .clone();
    assert_eq!(
        t.get("policy").unwrap().get("Statement").unwrap().items()[0]
            .get("Action")
            .and_then(Node::as_str),
        Some("*")
    );
    assert_eq!(t.get("tpl").and_then(Node::as_str), Some("hello bob!"));
    let outside = t.get("outside").unwrap().as_unknown().unwrap();
    assert!(
        outside.reason.contains("outside the scanned root"),
        "{}",
        outside.reason
    );
    assert!(t.get("missing").unwrap().is_unknown());
    assert!(out.errors.iter().any(|e| e.message.contains("nope.json")));
}

#[test]
fn hostile_inputs_are_errors_or_unknowns() {
    let deep_expr = format!(
        "locals {{\n  x = {}1{}\n}}\n",
        "(".repeat(5000),
        ")".repeat(5000)
    );
    let mut long_chain = String::from("locals {\n  l0 = \"x\"\n");
    for i in 1..400 {
        long_chain.push_str(&format!("  l{i} = \"${{local.l{}}}y\"\n", i - 1));
    }
    long_chain.push_str("}\nresource \"null_resource\" \"c\" { triggers = { v = local.l399 } }\n");
    let (roots, out) = run(
        &[
            (
                "broken/main.tf",
                "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \n",
            ),
            ("deep/main.tf", &deep_expr),
            ("chain/main.tf", &long_chain),
            (
                "ok/main.tf",
                "resource \"aws_sqs_queue\" \"q\" { name = var.undefined }\n",
            ),
        ],
        &[],
    );
    let msg = |dir: &str| {
        out.errors
            .iter()
            .find(|e| e.file.starts_with(dir))
            .map(|e| e.message.clone())
            .unwrap_or_default()
    };
    assert!(
        msg("broken/").contains("HCL syntax error"),
        "{:?}",
        out.errors
    );
    assert!(msg("broken/").contains("line"), "{:?}", out.errors);
    assert!(msg("deep/").contains("nested"), "{:?}", out.errors);
    let q = res(&roots, "aws_sqs_queue.q");
    assert_eq!(
        q.body.get("name").unwrap().as_unknown().unwrap().reason,
        "undefined variable"
    );
    // A very long chain of locals ends in an unknown (depth bound), not a stack overflow.
    let c = res(&roots, "null_resource.c");
    assert!(c.body.get("triggers").is_some());
}

#[test]
fn oversized_files_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let big = format!(
        "locals {{\n  x = \"{}\"\n}}\n",
        "a".repeat(11 * 1024 * 1024)
    );
    let (_, out) = run_in(
        dir.path(),
        &[("big/main.tf", &big), ("small/main.tf", "locals {}\n")],
        &[],
    );
    assert!(
        out.errors
            .iter()
            .any(|e| e.file == "big/main.tf" && e.message.contains("size limit")),
        "{:?}",
        out.errors
    );
}

#[test]
fn unknown_values_never_become_known() {
    let (roots, _) = run(
        &[(
            "main.tf",
            r#"
variable "x" {}
resource "null_resource" "x" {
  triggers = {
    cond = var.x ? "a" : "b"
    up   = upper(var.x)
    cat  = concat([var.x], ["y"])
  }
}
"#,
        )],
        &[],
    );
    let t = res(&roots, "null_resource.x")
        .body
        .get("triggers")
        .unwrap()
        .clone();
    assert!(t.get("cond").unwrap().is_unknown());
    assert!(t.get("up").unwrap().is_unknown());
    assert!(matches!(t.get("cat").unwrap().val, Val::List(_)));
}

#[test]
fn evaluation_fan_out_is_bounded() {
    // Each local doubles the work of the previous one through two references, and a `for` over a
    // large range repeats a big string: both end in unknowns within the limits.
    let mut text = String::from("locals {\n  l0 = \"x\"\n");
    for i in 1..60 {
        text.push_str(&format!(
            "  l{i} = \"${{local.l{p}}}${{local.l{p}}}\"\n",
            p = i - 1
        ));
    }
    text.push_str("  big = join(\"\", [for i in range(4096) : local.l19])\n");
    text.push_str(
        "}\nresource \"null_resource\" \"x\" { triggers = { a = local.l59, b = local.big } }\n",
    );
    let started = std::time::Instant::now();
    let (roots, _) = run(&[("main.tf", &text)], &[]);
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    let t = res(&roots, "null_resource.x")
        .body
        .get("triggers")
        .unwrap()
        .clone();
    assert!(t.get("a").unwrap().is_unknown());
    assert!(t.get("b").unwrap().is_unknown());
}

#[test]
fn policy_documents_merge_source_and_override_documents() {
    let (roots, _) = run(
        &[(
            "main.tf",
            r#"
data "aws_iam_policy_document" "base" {
  statement {
    sid       = "Read"
    actions   = ["s3:GetObject"]
    resources = ["*"]
  }
}
data "aws_iam_policy_document" "x" {
  source_policy_documents = [data.aws_iam_policy_document.base.json]
  override_json = jsonencode({ Statement = [{ Sid = "Read", Effect = "Deny", Action = "s3:GetObject", Resource = "*" }] })
  statement {
    actions   = ["sqs:SendMessage"]
    resources = ["*"]
  }
}
resource "aws_iam_policy" "p" { policy = data.aws_iam_policy_document.x.json }
"#,
        )],
        &[],
    );
    let doc = res(&roots, "aws_iam_policy.p")
        .body
        .get("policy")
        .unwrap()
        .clone();
    let sts = doc.get("Statement").unwrap().items();
    assert_eq!(sts.len(), 2);
    assert_eq!(sts[0].get("Effect").and_then(Node::as_str), Some("Deny"));
    assert_eq!(
        sts[1].get("Action").unwrap().items()[0].as_str(),
        Some("sqs:SendMessage")
    );
}

#[test]
fn json_variable_files_are_literal_and_point_at_their_lines() {
    let vars_json = "{\n  \"a\": \"${not.a.ref}\",\n  \"b\": [\"x\", \"y\"]\n}\n";
    let (roots, out) = run(
        &[
            (
                "main.tf",
                "variable \"a\" {}\nvariable \"b\" {}\nresource \"null_resource\" \"x\" { triggers = { a = var.a, n = length(var.b) } }\n",
            ),
            ("terraform.tfvars.json", vars_json),
        ],
        &[],
    );
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let t = res(&roots, "null_resource.x")
        .body
        .get("triggers")
        .unwrap()
        .clone();
    let a = t.get("a").unwrap();
    assert_eq!(a.as_str(), Some("${not.a.ref}"));
    assert_eq!(&*a.origin.file, "terraform.tfvars.json");
    let s = a.origin.span;
    assert_eq!(
        &vars_json[s.start as usize..s.end as usize],
        "\"${not.a.ref}\""
    );
    assert_eq!(t.get("n").and_then(Node::as_str), Some("2"));
}

#[test]
fn indented_heredocs_are_dedented() {
    let (roots, _) = run(
        &[(
            "main.tf",
            "resource \"null_resource\" \"x\" {\n  triggers = {\n    a = <<-EOT\n      hello\n        world\n      EOT\n    b = <<EOT\n  kept\nEOT\n  }\n}\n",
        )],
        &[],
    );
    let t = res(&roots, "null_resource.x")
        .body
        .get("triggers")
        .unwrap()
        .clone();
    assert_eq!(t.get("a").and_then(Node::as_str), Some("hello\n  world\n"));
    assert_eq!(t.get("b").and_then(Node::as_str), Some("  kept\n"));
}

mod module_instances;
mod var_files;
