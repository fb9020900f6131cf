//! `--var-file`: command-line variable files, outside the scanned root, in order with `--var`.

use super::*;
use crate::document::Limits;

const MAIN: &str = r#"
variable "a" { default = "default" }
variable "b" { default = "default" }
variable "c" { default = "default" }
variable "d" { default = "default" }
variable "obj" { default = {} }
variable "list" { default = [] }
resource "null_resource" "x" {
  triggers = {
    a = var.a, b = var.b, c = var.c, d = var.d
    k = var.obj.k, n = length(var.obj.n), l = length(var.list)
  }
}
"#;

fn var_file(dir: &Path, name: &str, text: &str) -> Arc<VarFile> {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    let shown = format!("../vars/{name}");
    Arc::new(VarFile::read(&path, &shown, 1 << 20, &Limits::default()).unwrap())
}

#[test]
fn var_files_and_vars_apply_in_command_line_order() {
    let root = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    let one = var_file(
        outside.path(),
        "one.tfvars",
        "a = \"one\"\nb = \"one\"\nc = \"one\"\nobj = { k = \"v\", n = [1, 2, 3] }\n",
    );
    let two_json = "{\n  \"c\": \"two\",\n  \"list\": [\"x\", \"y\"]\n}\n";
    let two = var_file(outside.path(), "two.tfvars.json", two_json);
    let mut opts = Options::default();
    opts.var("c", "early");
    opts.inputs.push(CliInput::File(one));
    opts.var("b", "cli");
    opts.inputs.push(CliInput::File(two));
    let (roots, out) = run_with(
        root.path(),
        &[
            ("main.tf", MAIN),
            ("terraform.tfvars", "a = \"tfvars\"\nd = \"tfvars\"\n"),
            ("x.auto.tfvars", "d = \"auto\"\n"),
        ],
        opts,
    );
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let t = res(&roots, "null_resource.x")
        .body
        .get("triggers")
        .unwrap()
        .clone();
    let s = |k: &str| t.get(k).and_then(Node::as_str).map(str::to_string);
    // A var file beats terraform.tfvars; a later --var beats an earlier file and vice versa.
    assert_eq!(s("a").as_deref(), Some("one"));
    assert_eq!(s("b").as_deref(), Some("cli"));
    assert_eq!(s("c").as_deref(), Some("two"));
    assert_eq!(s("d").as_deref(), Some("auto"));
    // Objects and lists keep their types.
    assert_eq!(s("k").as_deref(), Some("v"));
    assert_eq!(s("n").as_deref(), Some("3"));
    assert_eq!(s("l").as_deref(), Some("2"));
    // Values point into the files, which are shown once.
    assert_eq!(&*t.get("a").unwrap().origin.file, "../vars/one.tfvars");
    let c = t.get("c").unwrap();
    assert_eq!(&*c.origin.file, "../vars/two.tfvars.json");
    let span = c.origin.span;
    assert_eq!(&two_json[span.start as usize..span.end as usize], "\"two\"");
    for name in ["../vars/one.tfvars", "../vars/two.tfvars.json"] {
        let n = out.sources.iter().filter(|s| &*s.path == name).count();
        assert_eq!(n, 1, "{name}");
    }
}

#[test]
fn var_files_apply_to_every_root_module() {
    let root = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    let mut opts = Options::default();
    opts.inputs.push(CliInput::File(var_file(
        outside.path(),
        "all.tfvars",
        "a = \"shared\"\n",
    )));
    let (roots, _) = run_with(
        root.path(),
        &[("one/main.tf", MAIN), ("two/main.tf", MAIN)],
        opts,
    );
    assert_eq!(roots.len(), 2);
    for r in &roots {
        let t = r.resources[0].body.get("triggers").unwrap();
        assert_eq!(t.get("a").and_then(Node::as_str), Some("shared"));
    }
}

#[test]
fn bad_var_files_are_errors_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let err = |name: &str, text: Option<&str>, max: u64| {
        let path = dir.path().join(name);
        if let Some(text) = text {
            std::fs::write(&path, text).unwrap();
        }
        let e = VarFile::read(&path, name, max, &Limits::default()).unwrap_err();
        assert_eq!(e.file, name);
        e.message
    };
    assert!(err("missing.tfvars", None, 100).contains("cannot read"));
    let m = err("syntax.tfvars", Some("a = \n"), 100);
    assert!(m.contains("HCL syntax error"), "{m}");
    let m = err("block.tfvars", Some("variable \"a\" {}\n"), 100);
    assert!(m.contains("`variable` block"), "{m}");
    let m = err("list.tfvars.json", Some("[1, 2]"), 100);
    assert!(m.contains("one object"), "{m}");
    let m = err("broken.json", Some("{\"a\": "), 100);
    assert!(m.contains("JSON"), "{m}");
    let m = err("big.tfvars", Some(&"a = \"x\"\n".repeat(20)), 100);
    assert!(m.contains("size limit of 100 bytes"), "{m}");
    std::fs::write(dir.path().join("bytes.tfvars"), b"a = \"\xff\"\n").unwrap();
    let m = err("bytes.tfvars", None, 100);
    assert!(m.contains("UTF-8"), "{m}");
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let m = err("sub", None, 100);
    assert!(m.contains("directory"), "{m}");
}
