//! Parsing speed on a 1 MB template (a benchmark, not a check: ignored by default).
//!
//! `cargo test --release -p warden_input --test document_perf -- --ignored --nocapture`

use std::fmt::Write;
use std::sync::Arc;
use std::time::Instant;
use warden_input::document::{self, Limits};
use warden_model::{Node, Val};

/// A SAM template of about `bytes` bytes: functions with properties, events, policies, tags.
fn template(bytes: usize) -> String {
    let mut t = String::from(
        "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nParameters:\n  Stage: {Type: String, Default: dev}\nResources:\n",
    );
    let mut i = 0;
    while t.len() < bytes {
        write!(
            t,
            "  Fn{i}:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: !Sub '${{AWS::StackName}}-fn-{i}'
      Handler: app.handler
      Runtime: python3.12
      MemorySize: 256
      Timeout: 30
      Role: !GetAtt Role{i}.Arn
      Environment:
        Variables:
          TABLE: !Ref Table{i}
          STAGE: !Ref Stage
          ENDPOINT: \"https://api.example.com/v1/items/{i}\"
      Events:
        Api:
          Type: Api
          Properties: {{Path: /items/{i}, Method: get}}
      Policies:
        - DynamoDBCrudPolicy: {{TableName: !Ref Table{i}}}
        - Statement:
            - Effect: Allow
              Action: [s3:GetObject, s3:PutObject]
              Resource: !Join ['', ['arn:aws:s3:::', !Ref Bucket, '/*']]
      Tags:
        team: orders # owner
        cost-centre: '1234'
"
        )
        .ok();
        i += 1;
    }
    t
}

fn count(node: &Node) -> usize {
    match &node.val {
        Val::List(items) => 1 + items.iter().map(count).sum::<usize>(),
        Val::Map(entries) => 1 + entries.iter().map(|(_, v)| 1 + count(v)).sum::<usize>(),
        _ => 1,
    }
}

/// Nanoseconds this thread has run on a CPU (Linux), so that a busy machine does not inflate the
/// figures; wall time elsewhere.
fn cpu_ns(wall: Instant) -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .unwrap_or_else(|| wall.elapsed().as_secs_f64() * 1e9)
}

fn time(name: &str, text: &str) {
    let limits = Limits::default();
    let file: Arc<str> = Arc::from(name);
    let doc = document::parse(file.clone(), text, &limits).expect("parses");
    let origin = Instant::now();
    // Trees are kept until the end: freeing one just before the next parse makes the allocator
    // consolidate its free lists inside the next measurement.
    let mut kept = Vec::new();
    let mut runs: Vec<f64> = (0..15)
        .map(|_| {
            let before = cpu_ns(origin);
            let doc = document::parse(file.clone(), text, &limits).expect("parses");
            let ms = (cpu_ns(origin) - before) / 1e6;
            kept.push(doc);
            ms
        })
        .collect();
    let before = cpu_ns(origin);
    let n = kept.len() as f64;
    drop(kept);
    let drop_ms = (cpu_ns(origin) - before) / 1e6 / n;
    runs.sort_by(f64::total_cmp);
    let median = runs[runs.len() / 2];
    println!(
        "{name}: {:.2} MB, {} nodes+keys, CPU time median {median:.2} ms ({:.0} MB/s), min {:.2} ms; freeing the tree {drop_ms:.2} ms",
        text.len() as f64 / 1e6,
        count(&doc.root),
        text.len() as f64 / 1e6 / (median / 1e3),
        runs[0]
    );
}

#[test]
#[ignore = "benchmark: run with --release --ignored --nocapture"]
fn one_megabyte_template() {
    let yaml = template(1 << 20);
    time("template.yaml", &yaml);
    let doc = document::parse(Arc::from("t.yaml"), &yaml, &Limits::default()).expect("parses");
    let json = serde_json::to_string_pretty(&doc.root.to_json()).expect("serialises");
    time("template.json", &json);
}
