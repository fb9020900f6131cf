//! Outputs of repeated module calls (`count`, `for_each`): index, key, splat, `for` expressions,
//! unknown repetition, nested repeated modules, and cycles through a module's own outputs.

use super::*;

const FN_MODULE: &str = r#"
variable "name" {}
resource "aws_lambda_function" "this" { function_name = var.name }
output "name" { value = var.name }
output "arn" { value = aws_lambda_function.this.arn }
"#;

fn triggers(roots: &[RootModule]) -> Node {
    res(roots, "null_resource.x")
        .body
        .get("triggers")
        .unwrap()
        .clone()
}

fn strs(n: &Node) -> Vec<String> {
    match &n.val {
        Val::List(items) => items
            .iter()
            .map(|i| i.as_str().unwrap().to_string())
            .collect(),
        other => panic!("not a list: {other:?}"),
    }
}

#[test]
fn counted_module_is_a_list_of_instance_objects() {
    let (roots, _) = run(
        &[
            (
                "main.tf",
                r#"
module "fn" {
  source = "./modules/fn"
  count  = 2
  name   = "fn-${count.index}"
}
resource "null_resource" "x" {
  triggers = {
    first  = module.fn[0].name
    second = module.fn[1].name
    splat  = module.fn[*].name
    attr   = module.fn.*.name
    n      = length(module.fn)
    each   = [for m in module.fn : m.name]
    arn    = module.fn[0].arn
    oob    = try(module.fn[5].name, "none")
  }
}
"#,
            ),
            ("modules/fn/main.tf", FN_MODULE),
        ],
        &[],
    );
    let t = triggers(&roots);
    assert_eq!(t.get("first").and_then(Node::as_str), Some("fn-0"));
    assert_eq!(t.get("second").and_then(Node::as_str), Some("fn-1"));
    assert_eq!(strs(t.get("splat").unwrap()), ["fn-0", "fn-1"]);
    assert_eq!(strs(t.get("attr").unwrap()), ["fn-0", "fn-1"]);
    assert_eq!(strs(t.get("each").unwrap()), ["fn-0", "fn-1"]);
    assert_eq!(t.get("n").unwrap().val, Val::Num("2".into()));
    assert_eq!(t.get("oob").and_then(Node::as_str), Some("none"));
    // An output that refers to a resource inside the module names that instance's resource.
    let arn = t.get("arn").unwrap().as_unknown().unwrap();
    assert_eq!(
        arn.resource.as_deref(),
        Some("module.fn[0].aws_lambda_function.this")
    );
    // The resources of each instance have per-instance addresses and inputs.
    let f1 = res(&roots, "module.fn[1].aws_lambda_function.this");
    assert_eq!(
        f1.body.get("function_name").and_then(Node::as_str),
        Some("fn-1")
    );
}

#[test]
fn for_each_module_is_a_map_keyed_like_for_each() {
    let (roots, _) = run(
        &[
            (
                "main.tf",
                r#"
module "fn" {
  source   = "./modules/fn"
  for_each = { api = "orders-api", worker = "orders-worker" }
  name     = "${each.key}:${each.value}"
}
module "set" {
  source   = "./modules/fn"
  for_each = toset(["a", "b"])
  name     = "s-${each.key}"
}
resource "null_resource" "x" {
  triggers = {
    api    = module.fn["api"].name
    keys   = keys(module.fn)
    pairs  = [for k, m in module.fn : "${k}=${m.name}"]
    values = values(module.set)[*].name
    arn    = module.fn["worker"].arn
    miss   = try(module.fn["nope"].name, "missing")
  }
}
"#,
            ),
            ("modules/fn/main.tf", FN_MODULE),
        ],
        &[],
    );
    let t = triggers(&roots);
    assert_eq!(t.get("api").and_then(Node::as_str), Some("api:orders-api"));
    assert_eq!(strs(t.get("keys").unwrap()), ["api", "worker"]);
    assert_eq!(
        strs(t.get("pairs").unwrap()),
        ["api=api:orders-api", "worker=worker:orders-worker"]
    );
    assert_eq!(strs(t.get("values").unwrap()), ["s-a", "s-b"]);
    assert_eq!(t.get("miss").and_then(Node::as_str), Some("missing"));
    let arn = t.get("arn").unwrap().as_unknown().unwrap();
    assert_eq!(
        arn.resource.as_deref(),
        Some("module.fn[\"worker\"].aws_lambda_function.this")
    );
    res(&roots, "module.set[\"b\"].aws_lambda_function.this");
}

#[test]
fn conditional_count_and_unknown_count() {
    let (roots, _) = run(
        &[
            (
                "main.tf",
                r#"
variable "enabled" { default = true }
variable "n" {}
module "on" {
  source = "./modules/fn"
  count  = var.enabled ? 1 : 0
  name   = "on"
}
module "off" {
  source = "./modules/fn"
  count  = var.enabled ? 0 : 1
  name   = "off"
}
module "dyn" {
  source = "./modules/fn"
  count  = var.n
  name   = "dyn"
}
resource "null_resource" "x" {
  triggers = {
    on  = module.on[0].name
    off = try(module.off[0].name, "disabled")
    offlist = module.off[*].name
    dyn = module.dyn[0].name
  }
}
"#,
            ),
            ("modules/fn/main.tf", FN_MODULE),
        ],
        &[],
    );
    let t = triggers(&roots);
    assert_eq!(t.get("on").and_then(Node::as_str), Some("on"));
    assert_eq!(t.get("off").and_then(Node::as_str), Some("disabled"));
    assert!(strs(t.get("offlist").unwrap()).is_empty());
    let dyn_ = t.get("dyn").unwrap().as_unknown().unwrap();
    assert_eq!(dyn_.expr, "module.dyn[0].name");
    assert!(
        dyn_.reason.contains("count not known statically"),
        "{}",
        dyn_.reason
    );
}

#[test]
fn single_module_as_a_whole_is_an_object_of_outputs() {
    let (roots, _) = run(
        &[
            (
                "main.tf",
                r#"
module "fn" {
  source = "./modules/fn"
  name   = "one"
}
resource "null_resource" "x" {
  triggers = {
    whole = module.fn
    name  = module.fn.name
    splat = module.fn[*].name
  }
}
"#,
            ),
            ("modules/fn/main.tf", FN_MODULE),
        ],
        &[],
    );
    let t = triggers(&roots);
    let whole = t.get("whole").unwrap();
    assert_eq!(whole.get("name").and_then(Node::as_str), Some("one"));
    assert!(whole.get("arn").unwrap().is_unknown());
    assert_eq!(t.get("name").and_then(Node::as_str), Some("one"));
    assert_eq!(strs(t.get("splat").unwrap()), ["one"]);
}

#[test]
fn nested_repeated_modules() {
    let (roots, _) = run(
        &[
            (
                "main.tf",
                r#"
module "outer" {
  source = "./modules/outer"
  count  = 2
  prefix = "o${count.index}"
}
resource "null_resource" "x" {
  triggers = {
    names = module.outer[1].names
    arn   = module.outer[0].arns["q"]
  }
}
"#,
            ),
            (
                "modules/outer/main.tf",
                r#"
variable "prefix" {}
module "inner" {
  source   = "../fn"
  for_each = toset(["p", "q"])
  name     = "${var.prefix}-${each.key}"
}
output "names" { value = [for k, m in module.inner : m.name] }
output "arns" { value = { for k, m in module.inner : k => m.arn } }
"#,
            ),
            ("modules/fn/main.tf", FN_MODULE),
        ],
        &[],
    );
    assert_eq!(roots.len(), 1);
    let t = triggers(&roots);
    assert_eq!(strs(t.get("names").unwrap()), ["o1-p", "o1-q"]);
    let arn = t.get("arn").unwrap().as_unknown().unwrap();
    assert_eq!(
        arn.resource.as_deref(),
        Some("module.outer[0].module.inner[\"q\"].aws_lambda_function.this")
    );
    let f = res(
        &roots,
        "module.outer[1].module.inner[\"p\"].aws_lambda_function.this",
    );
    assert_eq!(
        f.body.get("function_name").and_then(Node::as_str),
        Some("o1-p")
    );
}

#[test]
fn modules_depending_on_themselves_are_unknown_not_a_hang() {
    let (roots, _) = run(
        &[
            (
                "main.tf",
                r#"
module "a" {
  source = "./modules/echo"
  count  = module.a[0].n
  input  = "x"
}
module "c" {
  source = "./modules/echo"
  count  = length(module.c)
  input  = "x"
}
module "b" {
  source = "./modules/echo"
  count  = 1
  input  = module.b[0].out
}
resource "null_resource" "x" {
  triggers = { a = module.a[0].out, b = module.b[0].out, c = module.c[0].out }
}
"#,
            ),
            (
                "modules/echo/main.tf",
                "variable \"input\" {}\noutput \"out\" { value = var.input }\noutput \"n\" { value = 1 }\n",
            ),
        ],
        &[],
    );
    let t = triggers(&roots);
    for k in ["a", "b"] {
        let u = t.get(k).unwrap().as_unknown().unwrap();
        assert!(u.reason.contains("depends on itself"), "{k}: {}", u.reason);
    }
    let c = t.get("c").unwrap().as_unknown().unwrap();
    assert!(
        c.reason.contains("count not known statically"),
        "{}",
        c.reason
    );
}

#[test]
fn fan_out_through_repeated_modules_is_bounded() {
    // Eight levels of modules each called 256 times: the evaluation ends in unknowns within the
    // step limit instead of visiting 256^8 instances.
    let mut files: Vec<(String, String)> = vec![(
        "main.tf".into(),
        "module \"m\" {\n  source = \"./modules/m0\"\n  count  = 256\n  v      = count.index\n}\n\
         resource \"null_resource\" \"x\" { triggers = { a = module.m[*].out } }\n"
            .into(),
    )];
    for i in 0..8 {
        let text = if i < 7 {
            format!(
                "variable \"v\" {{}}\nmodule \"next\" {{\n  source = \"../m{}\"\n  count  = 256\n  v      = \"${{var.v}}-${{count.index}}\"\n}}\n\
                 output \"out\" {{ value = [for m in module.next : m.out] }}\n",
                i + 1
            )
        } else {
            "variable \"v\" {}\noutput \"out\" { value = var.v }\n".to_string()
        };
        files.push((format!("modules/m{i}/main.tf"), text));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let started = std::time::Instant::now();
    let (roots, _) = run(&refs, &[]);
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
    assert!(triggers(&roots).get("a").unwrap().contains_unknown());
}
