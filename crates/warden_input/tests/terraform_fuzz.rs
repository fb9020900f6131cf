//! Hostile Terraform: random compositions of HCL fragments (valid, broken, odd function calls,
//! self-references) are loaded end to end; every case ends in apps, unknowns or errors, never a
//! panic or a hang.
#![allow(clippy::unwrap_used)]

use proptest::prelude::*;
use warden_input::project::{self, LoadOptions};

const FRAGMENTS: &[&str] = &[
    "resource \"aws_lambda_function\" \"f\" {\n",
    "resource \"aws_sqs_queue\" \"q\" {\n",
    "data \"aws_iam_policy_document\" \"d\" {\n",
    "module \"m\" {\n  source = \"./\"\n",
    "module \"up\" {\n  source = \"../\"\n",
    "locals {\n",
    "variable \"v\" {\n",
    "}\n",
    "{",
    "}",
    "statement {\n actions = [\"*\"]\n resources = [\"*\"]\n}\n",
    "dynamic \"statement\" {\n for_each = local.a\n content { actions = [statement.value] }\n}\n",
    "a = local.b\n",
    "b = local.a\n",
    "c = \"${local.c}${local.c}\"\n",
    "count = var.v\n",
    "count = -3\n",
    "count = 1e9\n",
    "for_each = { a = 1, b = 2 }\n",
    "for_each = [1, [2]]\n",
    "role = aws_iam_role.r[count.index].arn\n",
    "name = each.key\n",
    "x = [for i in range(100000) : i]\n",
    "x = { for k, v in var.v : k => v... }\n",
    "x = element([], 0)\n",
    "x = substr(\"abc\", -1, -1)\n",
    "x = format(\"%\", 1)\n",
    "x = format(\"%d %s %q\")\n",
    "x = lookup({}, 1)\n",
    "x = split(\"\", \"abc\")\n",
    "x = replace(\"aaaa\", \"a\", \"aaaaaaaaaaaaaaaa\")\n",
    "x = jsondecode(\"{\")\n",
    "x = jsondecode(\"[1, {\\\"a\\\": null}]\")[1].a\n",
    "x = file(\"/etc/passwd\")\n",
    "x = templatefile(\"main.tf\", { a = 1 })\n",
    "x = data.aws_iam_policy_document.d.json.Statement[0]\n",
    "x = module.m.out\n",
    "x = 1 / 0\n",
    "x = 10 % 0\n",
    "x = -\"a\"\n",
    "x = !1\n",
    "x = true ? local.a : local.b\n",
    "x = [1, 2][*]\n",
    "x = var.v.a.b[\"c\"][0]\n",
    "x = \"%{ for a in [1,2] }${a}%{ endfor }%{ if true }y%{ else }n%{ endif }\"\n",
    "x = <<EOT\n${local.a}\nEOT\n",
    "x = max()\n",
    "x = range(1, 10, 0)\n",
    "x = zipmap([\"a\"], [])\n",
    "x = \"é\u{1F600}\"\n",
    "output \"out\" {\n value = local.a\n}\n",
    "environment {\n variables = { K = var.v }\n}\n",
    "\"",
    "${",
    "# warden:ignore\n",
    "\n",
];

fn hcl() -> impl Strategy<Value = String> {
    prop::collection::vec(0..FRAGMENTS.len(), 0..24)
        .prop_map(|ix| ix.into_iter().map(|i| FRAGMENTS[i]).collect::<String>())
}

/// Fragments that are whole attributes: wrapped in blocks, they make valid modules.
fn attributes() -> impl Strategy<Value = String> {
    let attrs: Vec<&'static str> = FRAGMENTS
        .iter()
        .copied()
        .filter(|f| f.len() > 4 && f.as_bytes()[1] == b' ' && f.ends_with('\n'))
        .collect();
    prop::collection::vec(prop::sample::select(attrs), 0..12).prop_map(|v| {
        // HCL forbids repeating a key in a body: keep each key's first attribute.
        let mut seen = std::collections::HashSet::new();
        v.into_iter()
            .filter(|f| seen.insert(f.split(' ').next().unwrap_or_default()))
            .collect::<String>()
    })
}

fn valid_module(locals: String, attrs: String) -> String {
    format!(
        "locals {{\n{locals}}}\nvariable \"v\" {{}}\nresource \"aws_lambda_function\" \"f\" {{\n{attrs}}}\noutput \"out\" {{\n  value = local.a\n}}\n"
    )
}

#[test]
fn every_attribute_fragment_is_valid_in_a_block() {
    let attrs: String = FRAGMENTS
        .iter()
        .filter(|f| f.len() > 4 && f.as_bytes()[1] == b' ' && f.ends_with('\n'))
        .enumerate()
        .map(|(i, f)| f.replacen(' ', &format!("{i} "), 1))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let text = valid_module(String::new(), attrs);
    std::fs::write(dir.path().join("main.tf"), &text).unwrap();
    let project = project::load(dir.path(), &LoadOptions::default()).unwrap();
    let parse_errors: Vec<_> = project
        .errors
        .iter()
        .filter(|e| e.message.contains("syntax"))
        .collect();
    assert!(parse_errors.is_empty(), "{parse_errors:?}\n{text}");
    assert_eq!(project.apps.len(), 1);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 160, ..ProptestConfig::default() })]

    #[test]
    fn valid_modules_with_hostile_values_load(locals in attributes(), attrs in attributes()) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("main.tf"), valid_module(locals, attrs)).unwrap();
        let started = std::time::Instant::now();
        let project = project::load(dir.path(), &LoadOptions::default()).unwrap();
        prop_assert!(started.elapsed() < std::time::Duration::from_secs(30));
        prop_assert!(project.errors.iter().all(|e| !e.message.contains("syntax")), "{:?}", project.errors);
    }

    #[test]
    fn any_composition_loads_without_panicking(main in hcl(), child in hcl()) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("main.tf"), &main).unwrap();
        std::fs::create_dir_all(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("sub/main.tf"), &child).unwrap();
        std::fs::write(dir.path().join("terraform.tfvars"), &child).unwrap();
        let started = std::time::Instant::now();
        let project = project::load(dir.path(), &LoadOptions::default()).unwrap();
        prop_assert!(started.elapsed() < std::time::Duration::from_secs(30));
        for e in &project.errors {
            prop_assert!(!e.message.is_empty());
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("main.tf"), &text).unwrap();
        std::fs::write(dir.path().join("main.tf.json"), &text).unwrap();
        let _ = project::load(dir.path(), &LoadOptions::default()).unwrap();
    }

    #[test]
    fn json_syntax_compositions_never_panic(main in hcl(), key in "[a-z_\\-\\.$\\{\\}\"]{0,12}") {
        // Fragments as JSON strings and keys: templates, broken templates, odd names.
        let text = serde_json::json!({
            "locals": {"a": main.clone(), key.clone(): [main.clone(), {"k": key.clone()}]},
            "variable": {"v": {"default": main.clone()}},
            "resource": {"aws_lambda_function": {"f": [{"function_name": main.clone(), key.clone(): main}]}}
        })
        .to_string();
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("main.tf.json"), &text).unwrap();
        let _ = project::load(dir.path(), &LoadOptions::default()).unwrap();
    }
}
