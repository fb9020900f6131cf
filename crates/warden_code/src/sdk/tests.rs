//! Tables of SDK call recognition: both SDK generations, both languages, resources and the cases
//! that must make the picture incomplete.

use super::*;
use crate::parse::{Lang, parse};

fn scan(lang: Lang, code: &str) -> ModuleSdk {
    let parsed = parse(lang, code).unwrap();
    assert!(!parsed.has_errors(), "syntax error in test code:\n{code}");
    scan_module(&crate::lower::lower(&parsed), Arc::from("f"))
}

fn actions(m: &ModuleSdk) -> Vec<String> {
    let mut a: Vec<String> = m.calls.iter().flat_map(|c| c.actions.clone()).collect();
    a.sort();
    a.dedup();
    a
}

fn param<'a>(m: &'a ModuleSdk, name: &str) -> Vec<&'a ResourceRef> {
    m.calls
        .iter()
        .flat_map(|c| c.params.iter())
        .filter(|(n, _)| n == name)
        .map(|(_, r)| r)
        .collect()
}

const PY: Lang = Lang::Python;
const JS: Lang = Lang::JavaScript;
const TS: Lang = Lang::TypeScript;

#[test]
fn boto3_clients_resources_and_tables() {
    let cases: &[(&str, &[&str])] = &[
        (
            "import boto3\ns3 = boto3.client('s3')\ndef handler(e, c):\n    s3.get_object(Bucket='b', Key='k')\n    s3.put_object(Bucket='b', Key='k', Body=b'')\n",
            &["s3:GetObject", "s3:PutObject"],
        ),
        (
            "import boto3\ns3 = boto3.client('s3')\ns3.list_objects_v2(Bucket='b')\ns3.head_object(Bucket='b', Key='k')\n",
            &["s3:GetObject", "s3:ListBucket"],
        ),
        (
            "import boto3, os\ntable = boto3.resource('dynamodb').Table(os.environ['TABLE'])\ndef handler(e, c):\n    table.put_item(Item={})\n    table.query(KeyConditionExpression='x')\n    with table.batch_writer() as b:\n        pass\n",
            &[
                "dynamodb:BatchWriteItem",
                "dynamodb:PutItem",
                "dynamodb:Query",
            ],
        ),
        (
            "import boto3\nddb = boto3.resource('dynamodb')\nt = ddb.Table('orders')\nt.get_item(Key={})\n",
            &["dynamodb:GetItem"],
        ),
        (
            "from boto3 import client\nlam = client('lambda')\nlam.invoke(FunctionName='f')\nsqs = client(service_name='sqs')\nsqs.send_message_batch(QueueUrl='u', Entries=[])\n",
            &["lambda:InvokeFunction", "sqs:SendMessage"],
        ),
        (
            "import boto3\nsession = boto3.session.Session()\nsm = session.client('secretsmanager')\nsm.get_secret_value(SecretId='db')\n",
            &["secretsmanager:GetSecretValue"],
        ),
        (
            "import boto3\ns3 = boto3.client('s3')\np = s3.get_paginator('list_objects_v2')\nurl = s3.generate_presigned_url('get_object', Params={'Bucket': 'b', 'Key': 'k'})\ns3.upload_file('/tmp/x', 'b', 'k')\n",
            &["s3:GetObject", "s3:ListBucket", "s3:PutObject"],
        ),
        (
            "import boto3\ns3 = boto3.resource('s3')\ns3.Object('b', 'k').get()\nfor o in s3.Bucket('b').objects.all():\n    pass\n",
            &["s3:GetObject", "s3:ListBucket"],
        ),
        (
            "import boto3\ns3 = boto3.resource('s3')\ns3.meta.client.upload_file('/tmp/f', 'b', 'k')\n",
            &["s3:PutObject"],
        ),
        (
            "import boto3\nsfn = boto3.client('stepfunctions')\nsfn.start_execution(stateMachineArn='arn:aws:states:us-east-1:1:stateMachine:m')\n",
            &["states:StartExecution"],
        ),
    ];
    for (code, want) in cases {
        let m = scan(PY, code);
        assert_eq!(actions(&m), *want, "{code}");
        assert!(m.dynamic.is_empty(), "{code}: {:?}", m.dynamic);
    }
}

#[test]
fn javascript_v3_commands_document_client_and_helpers() {
    let cases: &[(Lang, &str, &[&str])] = &[
        (
            JS,
            "const { S3Client, GetObjectCommand, PutObjectCommand } = require('@aws-sdk/client-s3');\nconst s3 = new S3Client({});\nexports.handler = async (e) => { await s3.send(new GetObjectCommand({ Bucket: process.env.BUCKET, Key: e.key })); await s3.send(new PutObjectCommand({ Bucket: 'b', Key: 'k' })); };",
            &["s3:GetObject", "s3:PutObject"],
        ),
        (
            TS,
            "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nimport { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';\nconst doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));\nexport const handler = async (e: any) => { await doc.send(new PutCommand({ TableName: process.env.TABLE_NAME, Item: {} })); await doc.send(new QueryCommand({ TableName: 't' })); };",
            &["dynamodb:PutItem", "dynamodb:Query"],
        ),
        (
            TS,
            "import * as sfn from '@aws-sdk/client-sfn';\nconst c = new sfn.SFNClient({});\nexport async function handler() { await c.send(new sfn.StartExecutionCommand({ stateMachineArn: process.env.SM })); }",
            &["states:StartExecution"],
        ),
        (
            JS,
            "import { S3 } from '@aws-sdk/client-s3';\nconst s3 = new S3({});\nexport const handler = async () => s3.listObjectsV2({ Bucket: 'b' });",
            &["s3:ListBucket"],
        ),
        (
            JS,
            "import { S3Client, paginateListObjectsV2 } from '@aws-sdk/client-s3';\nimport { Upload } from '@aws-sdk/lib-storage';\nconst client = new S3Client({});\nexport const handler = async () => { for await (const p of paginateListObjectsV2({ client }, { Bucket: 'b' })) {} await new Upload({ client, params: { Bucket: 'b', Key: 'k', Body: '' } }).done(); };",
            &["s3:ListBucket", "s3:PutObject"],
        ),
        (
            JS,
            "const { SQSClient, SendMessageBatchCommand } = require('@aws-sdk/client-sqs');\nconst { LambdaClient, InvokeCommand } = require('@aws-sdk/client-lambda');\nexports.handler = async () => { await new SQSClient({}).send(new SendMessageBatchCommand({ QueueUrl: process.env.Q, Entries: [] })); await new LambdaClient({}).send(new InvokeCommand({ FunctionName: 'f' })); };",
            &["lambda:InvokeFunction", "sqs:SendMessage"],
        ),
    ];
    for (lang, code, want) in cases {
        let m = scan(*lang, code);
        assert_eq!(actions(&m), *want, "{code}");
        assert!(m.dynamic.is_empty(), "{code}: {:?}", m.dynamic);
    }
}

#[test]
fn javascript_v2_services_and_document_client() {
    let cases: &[(&str, &[&str])] = &[
        (
            "const AWS = require('aws-sdk');\nconst s3 = new AWS.S3();\nexports.handler = async () => { await s3.getObject({ Bucket: 'b', Key: 'k' }).promise(); await s3.upload({ Bucket: 'b', Key: 'k', Body: '' }).promise(); };",
            &["s3:GetObject", "s3:PutObject"],
        ),
        (
            "const AWS = require('aws-sdk');\nconst doc = new AWS.DynamoDB.DocumentClient();\nexports.handler = async () => { await doc.put({ TableName: process.env.TABLE, Item: {} }).promise(); await doc.batchGet({}).promise(); };",
            &["dynamodb:BatchGetItem", "dynamodb:PutItem"],
        ),
        (
            "const { SNS, SecretsManager } = require('aws-sdk');\nconst sns = new SNS();\nconst sm = new SecretsManager();\nexports.handler = async () => { await sns.publish({ TopicArn: 'arn:aws:sns:us-east-1:1:t' }).promise(); await sm.getSecretValue({ SecretId: 'x' }).promise(); };",
            &["secretsmanager:GetSecretValue", "sns:Publish"],
        ),
        (
            "const S3 = require('aws-sdk/clients/s3');\nconst s3 = new S3();\nexports.handler = () => s3.getSignedUrl('putObject', { Bucket: 'b', Key: 'k' });",
            &["s3:PutObject"],
        ),
        (
            "import AWS from 'aws-sdk';\nconst lambda = new AWS.Lambda();\nexport const handler = () => lambda.invoke({ FunctionName: 'f' }).promise();",
            &["lambda:InvokeFunction"],
        ),
    ];
    for (code, want) in cases {
        let m = scan(JS, code);
        assert_eq!(actions(&m), *want, "{code}");
    }
}

#[test]
fn resource_arguments() {
    let m = scan(
        JS,
        "const { S3Client, GetObjectCommand } = require('@aws-sdk/client-s3');\nconst BUCKET = process.env.UPLOADS;\nconst { TABLE } = process.env;\nexports.handler = async () => { await new S3Client({}).send(new GetObjectCommand({ Bucket: BUCKET, Key: 'a.txt' })); };",
    );
    assert_eq!(
        param(&m, "Bucket"),
        vec![&ResourceRef::Env("UPLOADS".into())]
    );
    assert_eq!(
        param(&m, "Key"),
        vec![&ResourceRef::Literal("a.txt".into())]
    );
    let m = scan(
        PY,
        "import boto3, os\nfrom os import environ\ns3 = boto3.client('s3')\ns3.get_object(Bucket=os.environ.get('B'), Key=k)\ns3.get_object(Bucket=os.getenv('C'), Key='x')\ns3.get_object(Bucket=environ['D'], Key='x')\n",
    );
    assert_eq!(
        param(&m, "Bucket"),
        vec![
            &ResourceRef::Env("B".into()),
            &ResourceRef::Env("C".into()),
            &ResourceRef::Env("D".into())
        ]
    );
    assert_eq!(param(&m, "Key")[0], &ResourceRef::Unknown);
    let m = scan(
        PY,
        "import boto3, os\nt = boto3.resource('dynamodb').Table(os.environ['ORDERS'])\nt.put_item(Item={})\n",
    );
    assert_eq!(
        param(&m, "TableName"),
        vec![&ResourceRef::Env("ORDERS".into())]
    );
    let m = scan(
        PY,
        "import boto3\ns3 = boto3.client('s3')\ns3.upload_file('/tmp/f', 'b', 'k')\ns3.download_file('c', 'k2', '/tmp/g')\n",
    );
    assert_eq!(
        param(&m, "Bucket"),
        vec![
            &ResourceRef::Literal("b".into()),
            &ResourceRef::Literal("c".into())
        ]
    );
    assert_eq!(
        param(&m, "Key"),
        vec![
            &ResourceRef::Literal("k".into()),
            &ResourceRef::Literal("k2".into())
        ]
    );
}

#[test]
fn unknown_operations_are_dropped_and_counted() {
    let m = scan(
        PY,
        "import boto3\ns3 = boto3.client('s3')\ns3.frobnicate_bucket(Bucket='b')\ns3.get_object(Bucket='b', Key='k')\n",
    );
    assert_eq!(actions(&m), vec!["s3:GetObject"]);
    assert_eq!(m.unknown_operations, vec!["s3:FrobnicateBucket"]);
}

#[test]
fn dynamic_use_is_reported() {
    for (lang, code) in [
        (
            PY,
            "import boto3\ndef handler(e, c):\n    svc = e['svc']\n    boto3.client(svc).list_buckets()\n",
        ),
        (
            PY,
            "import boto3\ns3 = boto3.client('s3')\ngetattr(s3, 'get_object')(Bucket='b')\n",
        ),
        (
            PY,
            "import boto3\nfrom lib import run\ns3 = boto3.client('s3')\nrun(s3)\n",
        ),
        (
            JS,
            "const AWS = require('aws-sdk');\nconst s3 = new AWS.S3();\nexports.handler = (e) => s3[e.op]({}).promise();",
        ),
        (
            JS,
            "const AWS = require('aws-sdk');\nexports.handler = (e) => new AWS[e.svc]();",
        ),
        (
            JS,
            "const AWS = require('aws-sdk');\nmodule.exports.client = () => { return new AWS.S3(); };",
        ),
    ] {
        let m = scan(lang, code);
        assert!(!m.dynamic.is_empty(), "{code}");
    }
}

#[test]
fn non_sdk_calls_are_not_sdk_calls() {
    for (lang, code) in [
        (
            PY,
            "import requests\nrequests.get('https://x')\nd = {}\nd.get('x')\n",
        ),
        (
            JS,
            "const fs = require('fs');\nconst s3 = { getObject: () => 1 };\ns3.getObject({ Bucket: 'b' });\nfs.readFileSync('x');",
        ),
        (
            PY,
            "def client(x):\n    return x\nc = client('s3')\nc.get_object(Bucket='b')\n",
        ),
    ] {
        let m = scan(lang, code);
        assert!(m.calls.is_empty(), "{code}: {:?}", m.calls);
    }
}

#[test]
fn clients_with_their_own_credentials_do_not_use_the_role() {
    let m = scan(
        JS,
        "const { DynamoDBClient } = require('@aws-sdk/client-dynamodb');\nconst { DynamoDBDocumentClient, GetCommand } = require('@aws-sdk/lib-dynamodb');\nexports.handler = async (e) => { const c = DynamoDBDocumentClient.from(new DynamoDBClient({ credentials: e.requestContext.authorizer })); return c.send(new GetCommand({ TableName: 't', Key: {} })); };",
    );
    assert_eq!(actions(&m), vec!["dynamodb:GetItem"]);
    assert!(!m.calls[0].role_credentials);
    let m = scan(
        PY,
        "import boto3\ndef handler(e, c):\n    s = boto3.Session(aws_access_key_id=e['k'], aws_secret_access_key=e['s'])\n    s.client('s3').get_object(Bucket='b', Key='k')\n    boto3.client('sqs').send_message(QueueUrl='q', MessageBody='x')\n",
    );
    let own: Vec<(bool, &str)> = m
        .calls
        .iter()
        .map(|c| (c.role_credentials, c.actions[0].as_str()))
        .collect();
    assert_eq!(
        own,
        vec![(false, "s3:GetObject"), (true, "sqs:SendMessage")]
    );
}

#[test]
fn unmapped_services_and_permissionless_calls() {
    let m = scan(
        PY,
        "import boto3\nc = boto3.client('not-a-real-service')\nc.do_thing()\n",
    );
    assert!(!m.dynamic.is_empty());
    let m = scan(
        PY,
        "import boto3\nsts = boto3.client('sts')\nsts.get_caller_identity()\ntag = boto3.client('resourcegroupstaggingapi')\ntag.get_resources()\n",
    );
    assert_eq!(actions(&m), vec!["tag:GetResources"]);
    assert!(m.unknown_operations.is_empty() && m.dynamic.is_empty());
}

fn files(list: &[(&str, &str)]) -> SourceFiles {
    let sources: Vec<Arc<warden_source::SourceFile>> = list
        .iter()
        .map(|(p, t)| Arc::new(warden_source::SourceFile::new(*p, *t)))
        .collect();
    SourceFiles::new(&sources)
}

#[test]
fn a_function_is_its_handler_and_the_local_modules_it_imports() {
    let fs = files(&[
        (
            "fn/app.py",
            "import boto3\nfrom lib.store import save\nfrom . import helpers\n\ndef handler(e, c):\n    save(e)\n",
        ),
        (
            "fn/lib/store.py",
            "import boto3\nt = boto3.resource('dynamodb').Table('t')\n\ndef save(x):\n    t.put_item(Item=x)\n",
        ),
        ("fn/lib/__init__.py", ""),
        (
            "fn/helpers.py",
            "import boto3\nboto3.client('sqs').send_message(QueueUrl='q', MessageBody='m')\n",
        ),
        (
            "web/index.js",
            "const { put } = require('./db');\nexports.handler = async () => put();",
        ),
        (
            "web/db/index.js",
            "const AWS = require('aws-sdk');\nconst doc = new AWS.DynamoDB.DocumentClient();\nexports.put = () => doc.put({ TableName: 't', Item: {} }).promise();",
        ),
    ]);
    let py = collect(&fs, "fn/app.py", None);
    assert_eq!(
        py.actions().into_iter().collect::<Vec<_>>(),
        vec!["dynamodb:PutItem", "sqs:SendMessage"]
    );
    assert!(py.complete(), "{:?} {:?}", py.incomplete, py.dynamic);
    assert!(py.files.contains(&"fn/lib/store.py".to_owned()));
    let js = collect(&fs, "web/index.js", None);
    assert_eq!(
        js.actions().into_iter().collect::<Vec<_>>(),
        vec!["dynamodb:PutItem"]
    );
    assert_eq!(js.files, vec!["web/index.js", "web/db/index.js"]);
    assert!(js.complete());
}

#[test]
fn partial_pictures_are_incomplete() {
    let fs = files(&[
        ("a.py", "import boto3\nfrom .missing import x\n"),
        (
            "b.py",
            "import boto3\ndef handler(e, c:\n    boto3.client('s3')\n",
        ),
        (
            "c.py",
            "from aws_lambda_powertools.utilities import parameters\nfrom aws_lambda_powertools import Logger\n",
        ),
        ("d.js", "const x = require('./nowhere');"),
        (
            "e.py",
            "from aws_lambda_powertools import Logger, Tracer\nfrom botocore.exceptions import ClientError\nimport json\n",
        ),
    ]);
    for handler in ["a.py", "b.py", "c.py", "d.js", "missing.py", "x.rb"] {
        let f = collect(&fs, handler, None);
        assert!(!f.complete(), "{handler}");
    }
    assert!(collect(&fs, "e.py", None).complete());
}

#[test]
fn hostile_code_never_panics() {
    let deep = format!("x = {}1{}\n", "[".repeat(5000), "]".repeat(5000));
    let calls = "import boto3\ns3 = boto3.client('s3')\n".to_owned()
        + &"s3.get_object(Bucket=s3.get_object(Bucket='b'))\n".repeat(2000);
    for (lang, text) in [
        (PY, deep.as_str()),
        (PY, calls.as_str()),
        (
            JS,
            "new (require('aws-sdk'))[`${x}`]()\nconst {a: {b: [c]}} = require('@aws-sdk/client-s3');\nnew c.d.e();",
        ),
        (
            TS,
            "import x = require('aws-sdk'); new x.S3().getObject(null as any);",
        ),
        (
            PY,
            "import boto3\nboto3.client()\nboto3.resource(service_name=1).Table().put_item()\n",
        ),
        (JS, "\u{0}\u{feff}éé`${`${`"),
    ] {
        let parsed = parse(lang, text).unwrap();
        let m = scan_module(&crate::lower::lower(&parsed), Arc::from("f"));
        assert!(m.calls.len() <= 4000);
    }
}
