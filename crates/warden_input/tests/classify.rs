//! Cheap classification by name, extension and CloudFormation markers in the head of a file.

use std::path::Path;
use warden_input::classify::{FileKind, Lang, LockfileKind, classify};

fn kind(name: &str, head: &str) -> FileKind {
    classify(Path::new(name), head.as_bytes())
}

const CFN: FileKind = FileKind::CloudFormation { sam: false };
const SAM: FileKind = FileKind::CloudFormation { sam: true };

#[test]
fn template_format_version_marks_a_template() {
    assert_eq!(
        kind("bom.yaml", "\u{feff}AWSTemplateFormatVersion: x\r\n"),
        CFN
    );
    assert_eq!(
        kind("a.yaml", "AWSTemplateFormatVersion: '2010-09-09'\n"),
        CFN
    );
    assert_eq!(
        kind("a.yml", "# c\nAWSTemplateFormatVersion: \"2010-09-09\"\n"),
        CFN
    );
    assert_eq!(
        kind(
            "a.json",
            "{\n  \"AWSTemplateFormatVersion\" : \"2010-09-09\"}"
        ),
        CFN
    );
    assert_eq!(
        kind(
            "a.template",
            "{\"AWSTemplateFormatVersion\":\"2010-09-09\"}"
        ),
        CFN
    );
    assert_eq!(
        kind(
            "dir/x.template.json",
            "{\"AWSTemplateFormatVersion\":\"x\"}"
        ),
        CFN
    );
}

#[test]
fn the_sam_transform_marks_a_sam_template_in_every_form() {
    let forms = [
        "Transform: AWS::Serverless-2016-10-31\n",
        "Transform: 'AWS::Serverless-2016-10-31'\n",
        "Transform:\n  - AWS::LanguageExtensions\n  # c\n  - AWS::Serverless-2016-10-31\nResources: {}\n",
        "Transform: [AWS::LanguageExtensions, \"AWS::Serverless-2016-10-31\"]\n",
        "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\n",
    ];
    for head in forms {
        assert_eq!(kind("template.yaml", head), SAM, "{head}");
    }
    let json = [
        "{\"Transform\": \"AWS::Serverless-2016-10-31\", \"Resources\": {}}",
        "{\n  \"Transform\" : [\n    \"AWS::Serverless-2016-10-31\"\n  ]\n}",
    ];
    for head in json {
        assert_eq!(kind("template.json", head), SAM, "{head}");
    }
    // The transform named elsewhere than as the Transform key's value is not enough.
    assert_eq!(
        kind(
            "notes.yaml",
            "description: uses AWS::Serverless-2016-10-31\nTransform: other\n"
        ),
        FileKind::Other
    );
    assert_eq!(
        kind(
            "x.yaml",
            "Transform:\n  - AWS::LanguageExtensions\nOther: AWS::Serverless-2016-10-31\n"
        ),
        FileKind::Other
    );
}

#[test]
fn resources_with_aws_types_mark_a_template() {
    let yaml = "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n";
    assert_eq!(kind("resources.yml", yaml), CFN);
    let json = "{\"Resources\":{\"B\":{\"Type\":\"AWS::S3::Bucket\"}}}";
    assert_eq!(kind("cdk.out/Stack.template.json", json), CFN);
    let quoted = "Resources:\n  Q:\n    Type: 'AWS::SQS::Queue'\n";
    assert_eq!(kind("q.yaml", quoted), CFN);
    // Types that are not AWS's, or `Type` keys outside a Resources section, are not enough.
    assert_eq!(
        kind("x.yaml", "Resources:\n  R:\n    Type: Custom::Thing\n"),
        FileKind::Other
    );
    assert_eq!(
        kind("x.yaml", "Type: AWS::S3::Bucket\nResources: []\n"),
        FileKind::Other
    );
}

#[test]
fn large_non_template_documents_are_other() {
    // An OpenAPI document with API Gateway extensions, as big as a large template.
    let mut openapi = String::from("openapi: 3.0.1\ninfo:\n  title: Orders\npaths:\n");
    for i in 0..400 {
        openapi.push_str(&format!(
            "  /orders/{i}:\n    get:\n      x-amazon-apigateway-integration:\n        type: aws_proxy\n        uri: arn:aws:apigateway:us-east-1:lambda:path/functions/x\n      responses:\n        '200': {{description: ok}}\n"
        ));
    }
    assert!(openapi.len() > 64 * 1024);
    assert_eq!(kind("openapi.yaml", &openapi), FileKind::Other);
    let k8s = "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          resources:\n            limits: {cpu: 1}\n";
    assert_eq!(kind("deploy.yaml", k8s), FileKind::Other);
    let workflow = "name: deploy\non: push\njobs:\n  d:\n    steps:\n      - run: grep -q AWSTemplateFormatVersion template.yaml\n      - run: sam deploy # Transform: AWS::Serverless-2016-10-31\n";
    assert_eq!(
        kind(".github/workflows/deploy.yml", workflow),
        FileKind::Other
    );
    let package = "{\"name\": \"x\", \"description\": \"AWSTemplateFormatVersion: 2010\"}";
    assert_eq!(
        kind("package.json", package),
        FileKind::Lockfile(LockfileKind::NpmManifest)
    );
    let tsconfig = "{\"compilerOptions\": {\"target\": \"es2022\"}, \"Resources\": 1}";
    assert_eq!(kind("tsconfig.json", tsconfig), FileKind::Other);
    // Binary content under a template name.
    assert_eq!(
        kind("template.yaml", "\0\u{1}\u{2}ELF\u{7f}"),
        FileKind::Other
    );
}

#[test]
fn other_formats_are_recognised_by_name() {
    assert_eq!(
        kind("serverless.yml", "service: x\n"),
        FileKind::ServerlessFramework
    );
    assert_eq!(kind("a/serverless.yaml", ""), FileKind::ServerlessFramework);
    assert_eq!(kind("serverless.json", "{}"), FileKind::ServerlessFramework);
    assert_eq!(kind("main.tf", ""), FileKind::Terraform);
    assert_eq!(kind("main.tf.json", "{}"), FileKind::Terraform);
    assert_eq!(
        kind("HttpTrigger/function.json", "{}"),
        FileKind::AzureFunctionJson
    );
    let locks = [
        ("package-lock.json", LockfileKind::NpmLock),
        ("yarn.lock", LockfileKind::Yarn),
        ("pnpm-lock.yaml", LockfileKind::Pnpm),
        ("requirements.txt", LockfileKind::PipRequirements),
        ("requirements-dev.txt", LockfileKind::PipRequirements),
        ("Pipfile.lock", LockfileKind::Pipfile),
        ("poetry.lock", LockfileKind::Poetry),
        ("uv.lock", LockfileKind::Uv),
        ("go.sum", LockfileKind::GoSum),
        ("Cargo.lock", LockfileKind::Cargo),
        ("gradle.lockfile", LockfileKind::Gradle),
        ("pom.xml", LockfileKind::Maven),
        ("package.json", LockfileKind::NpmManifest),
    ];
    for (name, lock) in locks {
        assert_eq!(kind(name, ""), FileKind::Lockfile(lock), "{name}");
    }
    // A lockfile that happens to contain template markers is still a lockfile.
    assert_eq!(
        kind("pnpm-lock.yaml", "AWSTemplateFormatVersion: x\n"),
        FileKind::Lockfile(LockfileKind::Pnpm)
    );
}

#[test]
fn code_is_recognised_by_extension() {
    for (name, lang) in [
        ("h.js", Lang::JavaScript),
        ("h.mjs", Lang::JavaScript),
        ("h.cjs", Lang::JavaScript),
        ("src/h.ts", Lang::TypeScript),
        ("app.py", Lang::Python),
        ("APP.PY", Lang::Python),
    ] {
        assert_eq!(kind(name, ""), FileKind::Code(lang), "{name}");
    }
    for name in ["types.d.ts", "README.md", "Makefile", "x.txt", "noext"] {
        assert_eq!(
            kind(name, "AWSTemplateFormatVersion: x\n"),
            FileKind::Other,
            "{name}"
        );
    }
}

#[test]
fn a_head_cut_anywhere_is_fine() {
    let text = "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\n";
    for cut in 0..=text.len() {
        let k = kind("t.yaml", &text[..cut]);
        assert!(matches!(
            k,
            FileKind::CloudFormation { .. } | FileKind::Other
        ));
    }
    assert_eq!(
        classify(Path::new("t.yaml"), &[0xff, 0xfe, b'T']),
        FileKind::Other
    );
}
