//! Secret-scanning throughput on a generated ~100 MB mixed tree (code, templates, lockfiles,
//! docs, minified bundles, base64 images) with a known number of planted fake secrets.
//!
//! `cargo bench -p warden_secrets --bench throughput -- [--dir PATH] [--mb N] [--regen]`
//! `cargo bench -p warden_secrets --bench throughput -- --scan DIR [--list]` scans an existing
//! tree instead (no planted secrets) and with `--list` prints every finding, redacted.
//! The tree is generated once (deterministically) and reused, so other tools can scan the same
//! files (see the crate README for the side-by-side run).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// xorshift64*: deterministic, dependency-free.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
    fn string(&mut self, alphabet: &[u8], n: usize) -> String {
        (0..n)
            .map(|_| alphabet[self.below(alphabet.len())] as char)
            .collect()
    }
}

const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const B32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const HEX: &[u8] = b"0123456789abcdef";
const WORDS: &[&str] = &[
    "order", "user", "item", "payment", "event", "record", "queue", "table", "bucket", "request",
    "response", "handler", "client", "result", "status", "message", "body", "header", "config",
    "session", "cache", "value", "index", "count", "price", "customer", "invoice", "shipment",
];

fn ident(r: &mut Rng) -> String {
    let a = r.pick(WORDS);
    let b = r.pick(WORDS);
    format!("{a}{}{}", b[..1].to_uppercase(), &b[1..])
}

fn js_file(r: &mut Rng, size: usize) -> String {
    let mut s = String::from(
        "'use strict';\nconst { DynamoDBClient, PutItemCommand } = require('@aws-sdk/client-dynamodb');\nconst client = new DynamoDBClient({});\n\n",
    );
    while s.len() < size {
        let f = ident(r);
        let v = ident(r);
        match r.below(8) {
            0 => {
                s += &format!(
                    "async function {f}(event) {{\n  const token = event.headers.authorization;\n  if (!token) {{ return {{ statusCode: 401 }}; }}\n  const {v} = JSON.parse(event.body);\n  return {v};\n}}\n\n"
                )
            }
            1 => {
                s += &format!(
                    "const {v}Url = `https://api.{}.internal.acme-corp.io/v1/${{id}}`;\n",
                    r.pick(WORDS)
                )
            }
            2 => {
                s += &format!(
                    "// {} the {} before the {} is written to {}\n",
                    r.pick(WORDS),
                    r.pick(WORDS),
                    r.pick(WORDS),
                    r.pick(WORDS)
                )
            }
            3 => {
                s += &format!(
                    "exports.{f} = async ({v}) => {{\n  await client.send(new PutItemCommand({{ TableName: process.env.TABLE_NAME, Item: {v} }}));\n}};\n"
                )
            }
            4 => {
                s += &format!(
                    "const {v} = {{ id: '{}', createdAt: Date.now(), total: {} }};\n",
                    r.string(HEX, 8),
                    r.below(10000)
                )
            }
            5 => {
                s += &format!(
                    "const password = process.env.DB_PASSWORD;\nconst {v} = await db.connect({{ user: 'app', password }});\n"
                )
            }
            6 => {
                s += &format!(
                    "  for (const {v} of {f}.items) {{ total += {v}.price * {v}.quantity; }}\n"
                )
            }
            _ => {
                s += &format!(
                    "logger.info('{f} processed', {{ {v}, requestId: context.awsRequestId }});\n"
                )
            }
        }
    }
    s
}

fn py_file(r: &mut Rng, size: usize) -> String {
    let mut s = String::from(
        "import json\nimport os\n\nimport boto3\n\ntable = boto3.resource(\"dynamodb\").Table(os.environ[\"TABLE_NAME\"])\n\n",
    );
    while s.len() < size {
        let f = ident(r).to_lowercase();
        match r.below(5) {
            0 => {
                s += &format!(
                    "def {f}(event, context):\n    body = json.loads(event[\"body\"])\n    table.put_item(Item=body)\n    return {{\"statusCode\": 200}}\n\n"
                )
            }
            1 => {
                s += &format!(
                    "SECRET_ARN = os.environ[\"SECRET_ARN\"]\n{f}_token = event.get(\"nextToken\")\n"
                )
            }
            2 => {
                s += &format!(
                    "# {} {} {} {}\n",
                    r.pick(WORDS),
                    r.pick(WORDS),
                    r.pick(WORDS),
                    r.pick(WORDS)
                )
            }
            3 => {
                s += &format!(
                    "    {f} = [x for x in items if x[\"{}\"] > {}]\n",
                    r.pick(WORDS),
                    r.below(100)
                )
            }
            _ => {
                s += &format!(
                    "    logger.info(\"{f}\", extra={{\"count\": {}}})\n",
                    r.below(1000)
                )
            }
        }
    }
    s
}

fn yaml_file(r: &mut Rng, size: usize) -> String {
    let mut s = String::from(
        "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n",
    );
    while s.len() < size {
        let f = ident(r);
        s += &format!(
            "  {f}Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: app.{f}\n      Runtime: nodejs20.x\n      Environment:\n        Variables:\n          TABLE_NAME: !Ref {f}Table\n          DB_PASSWORD: '{{{{resolve:secretsmanager:prod/{f}:SecretString:password}}}}'\n          API_KEY: ${{ssm:/prod/{f}/api-key}}\n      Events:\n        Api:\n          Type: Api\n          Properties:\n            Path: /{f}\n            Method: post\n"
        );
    }
    s
}

fn lockfile(r: &mut Rng, size: usize) -> String {
    let mut s =
        String::from("{\n  \"name\": \"orders\",\n  \"lockfileVersion\": 3,\n  \"packages\": {\n");
    while s.len() < size {
        let n = format!("{}-{}", r.pick(WORDS), r.pick(WORDS));
        s += &format!(
            "    \"node_modules/{n}\": {{\n      \"version\": \"1.{}.{}\",\n      \"resolved\": \"https://registry.npmjs.org/{n}/-/{n}-1.0.0.tgz\",\n      \"integrity\": \"sha512-{}==\"\n    }},\n",
            r.below(20),
            r.below(20),
            r.string(B64, 86)
        );
    }
    s + "  }\n}\n"
}

fn markdown(r: &mut Rng, size: usize) -> String {
    let mut s = String::from("# Operations guide\n\n");
    while s.len() < size {
        let words: Vec<&str> = (0..14)
            .map(|_| {
                r.pick(&[
                    "lorem", "ipsum", "dolor", "sit", "amet", "token", "rotation", "deploy", "the",
                    "secret", "manager", "function", "a", "of", "password", "policy",
                ])
            })
            .collect();
        s += &words.join(" ");
        s += ".\n";
    }
    s
}

fn minified(r: &mut Rng, size: usize) -> String {
    let mut s = String::from("!function(e,t){");
    while s.len() < size {
        let a = r.string(b"abcdefghijklmnopqrstuvwxyz", 1);
        let b = r.string(b"abcdefghijklmnopqrstuvwxyz", 1);
        s += &format!(
            "var {a}={b}.token||{b}.accessToken,{b}{a}=function({a}){{return {a}.{}({b},\"{}\")}};",
            r.pick(WORDS),
            r.string(ALNUM, 6)
        );
    }
    s + "}(this);\n"
}

fn html_with_image(r: &mut Rng, size: usize) -> String {
    format!(
        "<html><body><img src=\"data:image/png;base64,{}\"></body></html>\n",
        r.string(B64, size)
    )
}

/// A planted fake secret and the detector expected to find it.
fn plant(r: &mut Rng) -> (String, &'static str) {
    match r.below(6) {
        0 => (
            format!("AWS_ACCESS_KEY_ID=AKIA{}\n", r.string(B32, 16)),
            "aws-access-key-id",
        ),
        1 => (
            format!("const githubToken = \"ghp_{}\";\n", r.string(ALNUM, 36)),
            "github-token",
        ),
        2 => (
            format!("STRIPE_KEY=sk_live_{}\n", r.string(ALNUM, 24)),
            "stripe-secret-key",
        ),
        3 => (
            format!(
                "DB_PASSWORD=\"Q{}!{}\"\n",
                r.string(ALNUM, 6),
                r.string(ALNUM, 8)
            ),
            "generic-password",
        ),
        4 => (
            format!("api_key = \"{}7\"\n", r.string(ALNUM, 31)),
            "generic-secret",
        ),
        _ => (
            format!(
                "url = \"postgres://app:Zk{}9@db.internal/app\"\n",
                r.string(ALNUM, 12)
            ),
            "database-url-password",
        ),
    }
}

fn generate(dir: &Path, mb: usize) -> usize {
    let mut r = Rng(0x5EC2_E7A5_0000_0001);
    let target = mb * 1024 * 1024;
    let mut total = 0usize;
    let mut planted = 0usize;
    let mut i = 0usize;
    while total < target {
        let sub = dir.join(format!("svc{:03}", i / 100));
        fs::create_dir_all(&sub).unwrap();
        let size = 2048 + r.below(30 * 1024);
        let (name, mut content) = match r.below(20) {
            0..=6 => (format!("handler{i}.js"), js_file(&mut r, size)),
            7..=10 => (format!("handler{i}.py"), py_file(&mut r, size)),
            11..=12 => (format!("template{i}.yaml"), yaml_file(&mut r, size)),
            13 => (
                format!("pkg{i}/package-lock.json"),
                lockfile(&mut r, size * 4),
            ),
            14..=15 => (format!("doc{i}.md"), markdown(&mut r, size)),
            16 => (format!("bundle{i}.min.js"), minified(&mut r, size * 8)),
            17 => (format!("page{i}.html"), html_with_image(&mut r, size * 2)),
            _ => (format!("lib{i}.js"), js_file(&mut r, size)),
        };
        let ext_ok = name.ends_with(".js") && !name.ends_with(".min.js") || name.ends_with(".py");
        if i % 97 == 0 && ext_ok {
            let (line, _) = plant(&mut r);
            let at = content[..content.len() / 2]
                .rfind('\n')
                .map_or(0, |p| p + 1);
            content.insert_str(at, &line);
            planted += 1;
        }
        total += content.len();
        let path = sub.join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, content).unwrap();
        i += 1;
    }
    fs::write(dir.join(".planted"), planted.to_string()).unwrap();
    planted
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            collect(&p, out);
        } else if p.file_name().is_some_and(|n| n != ".planted") {
            out.push(p);
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |k: &str| {
        args.iter()
            .position(|a| a == k)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let scan_only = arg("--scan");
    let list = args.iter().any(|a| a == "--list");
    let dir = PathBuf::from(
        scan_only
            .clone()
            .or_else(|| arg("--dir"))
            .unwrap_or_else(|| "/tmp/warden-secrets-bench".to_owned()),
    );
    let mb: usize = arg("--mb").and_then(|v| v.parse().ok()).unwrap_or(100);
    if scan_only.is_none()
        && (args.iter().any(|a| a == "--regen") || !dir.join(".planted").exists())
    {
        let _ = fs::remove_dir_all(&dir);
        let t = Instant::now();
        let n = generate(&dir, mb);
        eprintln!(
            "generated {mb} MB tree in {:.1}s with {n} planted secrets",
            t.elapsed().as_secs_f64()
        );
    }
    let planted: usize = fs::read_to_string(dir.join(".planted"))
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(0);
    let mut paths = Vec::new();
    collect(&dir, &mut paths);
    paths.sort();
    let files: Vec<(PathBuf, Vec<u8>)> = paths
        .into_iter()
        .map(|p| {
            let b = fs::read(&p).unwrap();
            (p, b)
        })
        .collect();
    let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
    let scanner = warden_secrets::default_scanner();
    // Warm-up (compiles the lazy automata), then best of 3 timed passes.
    let _ = scanner.scan_text(&files[0].0, &files[0].1);
    let mut best = f64::MAX;
    let mut by_detector: BTreeMap<&str, usize> = BTreeMap::new();
    let mut by_kind: BTreeMap<String, (usize, f64)> = BTreeMap::new();
    for round in 0..3 {
        let t = Instant::now();
        let mut found = 0usize;
        for (p, b) in &files {
            let t_file = Instant::now();
            let ms = scanner.scan_text(p, b);
            if round == 0 {
                let name = p.file_name().unwrap().to_string_lossy();
                let kind = if name.ends_with(".min.js") {
                    "min.js".to_owned()
                } else {
                    name.rsplit('.').next().unwrap_or("").to_owned()
                };
                let e = by_kind.entry(kind).or_default();
                e.0 += b.len();
                e.1 += t_file.elapsed().as_secs_f64();
            }
            found += ms.len();
            if round == 0 {
                for m in ms {
                    if list {
                        let rel = p.strip_prefix(&dir).unwrap_or(p);
                        println!(
                            "{}:{}:{} {} {} {} {}",
                            rel.display(),
                            m.line,
                            m.column,
                            m.detector,
                            m.confidence,
                            m.redacted,
                            m.key.as_deref().unwrap_or("")
                        );
                    }
                    *by_detector.entry(m.detector).or_default() += 1;
                }
            }
        }
        best = best.min(t.elapsed().as_secs_f64());
        std::hint::black_box(found);
    }
    let mb_total = bytes as f64 / (1024.0 * 1024.0);
    println!(
        "files: {}  size: {:.1} MiB  planted secrets: {planted}",
        files.len(),
        mb_total
    );
    println!(
        "scan (1 thread, in memory, best of 3): {:.3}s = {:.0} MiB/s",
        best,
        mb_total / best
    );
    println!(
        "findings: {} {:?}",
        by_detector.values().sum::<usize>(),
        by_detector
    );
    for (kind, (n, secs)) in by_kind.iter().filter(|(_, (n, _))| *n > 1 << 20) {
        println!(
            "  {kind:>8}: {:>7.1} MiB at {:>5.0} MiB/s",
            *n as f64 / 1048576.0,
            *n as f64 / 1048576.0 / secs
        );
    }
}
