//! Taint propagation and sanitisers, per sink family, in JavaScript, TypeScript and Python.
#![allow(clippy::unwrap_used)]

mod support;
use support::*;
use warden_code::IssueKind::*;
use warden_model::TriggerKind;

#[test]
fn js_exec_of_body_field_through_json_parse_and_template() {
    let issues = js(r#"
const { exec } = require('child_process');
exports.handler = async (event) => {
  const body = JSON.parse(event.body);
  const cmd = `convert ${body.file} out.png`;
  exec(cmd);
  return { statusCode: 200 };
};"#);
    assert_eq!(kinds(&issues), vec![CommandInjection], "{:#?}", issues);
    let flow: Vec<&str> = issues[0].flow.iter().map(|s| s.message.as_str()).collect();
    assert!(flow[0].contains("event.body"), "{flow:?}");
    assert!(
        flow.iter().any(|m| m.contains("assigned to `cmd`")),
        "{flow:?}"
    );
    assert!(
        flow.last().unwrap().contains("child_process.exec"),
        "{flow:?}"
    );
}

#[test]
fn js_constant_and_server_side_arguments_are_not_injection() {
    let issues = js(r#"
const cp = require('child_process');
exports.handler = async (event) => {
  cp.execSync('ls -la /tmp');
  cp.execSync(`echo ${process.env.STAGE}`);
  eval('1 + 1');
  const id = event.requestContext.requestId;
  cp.exec('echo ' + id);
};"#);
    assert!(issues.is_empty(), "{issues:#?}");
}

#[test]
fn spawn_needs_shell_true_for_arguments() {
    let safe = js(r#"
const { spawn } = require('child_process');
exports.handler = async (event) => { spawn('convert', [event.queryStringParameters.f]); };"#);
    assert!(safe.is_empty(), "{safe:#?}");
    let bad = js(r#"
const { spawn } = require('child_process');
exports.handler = async (event) => { spawn('convert', [event.queryStringParameters.f], { shell: true }); };"#);
    assert_eq!(kinds(&bad), vec![CommandInjection], "{:#?}", bad);
}

#[test]
fn python_subprocess_shell_and_shlex_quote() {
    let bad = py(r#"
import subprocess
def handler(event, context):
    name = event["queryStringParameters"]["name"]
    subprocess.run(f"grep {name} /data", shell=True)
"#);
    assert_eq!(kinds(&bad), vec![CommandInjection], "{:#?}", bad);
    let good = py(r#"
import subprocess, shlex
def handler(event, context):
    name = shlex.quote(event["queryStringParameters"]["name"])
    subprocess.run(f"grep {name} /data", shell=True)
    subprocess.run(["grep", event["body"], "/data"])
"#);
    assert!(good.is_empty(), "{good:#?}");
}

#[test]
fn python_os_system_via_local_function_and_dict_get() {
    let issues = py(r#"
import os
def run(cmd):
    os.system(cmd)
def handler(event, context):
    q = event.get("queryStringParameters", {}).get("host")
    run("ping -c 1 " + q)
"#);
    assert_eq!(kinds(&issues), vec![CommandInjection], "{:#?}", issues);
    let flow: Vec<&str> = issues[0].flow.iter().map(|s| s.message.as_str()).collect();
    assert!(
        flow.iter().any(|m| m.contains("passed to `run`")),
        "{flow:?}"
    );
}

#[test]
fn dead_code_is_not_analysed() {
    let issues = py(r#"
import os
def unused(event):
    os.system(event["body"])
def handler(event, context):
    return {"statusCode": 200}
"#);
    assert!(issues.is_empty(), "{issues:#?}");
}

#[test]
fn allow_list_guards_sanitise() {
    let js_guard = js(r#"
const { execSync } = require('child_process');
const ALLOWED = ['status', 'uptime'];
exports.handler = async (event) => {
  const action = event.queryStringParameters.action;
  if (!ALLOWED.includes(action)) { return { statusCode: 400 }; }
  execSync(action);
};"#);
    assert!(js_guard.is_empty(), "{js_guard:#?}");
    let py_guard = py(r#"
import os
ALLOWED = {"status", "uptime"}
def handler(event, context):
    action = event["queryStringParameters"]["action"]
    if action in ALLOWED:
        os.system(action)
    os.system("echo " + action)
"#);
    assert_eq!(kinds(&py_guard), vec![CommandInjection], "{:#?}", py_guard);
    assert_eq!(py_guard.len(), 1);
}

#[test]
fn code_injection_and_low_pattern() {
    let bad = js(r#"
const vm = require('vm');
exports.handler = async (event) => { return vm.runInNewContext(event.body); };"#);
    assert_eq!(kinds(&bad), vec![CodeInjection], "{:#?}", bad);
    let dynamic = js(r#"
exports.handler = async (event) => { const f = process.env.FORMULA; return eval(f); };"#);
    assert_eq!(
        kinds(&dynamic),
        vec![DynamicCodeEvaluation],
        "{:#?}",
        dynamic
    );
    let py_bad = py("def handler(event, context):\n    return eval(event['body'])\n");
    assert_eq!(kinds(&py_bad), vec![CodeInjection], "{:#?}", py_bad);
    let new_fn = js("exports.handler = async (e) => new Function('a', e.body)(1);");
    assert_eq!(kinds(&new_fn), vec![CodeInjection], "{:#?}", new_fn);
}

#[test]
fn deserialisation() {
    let issues = py(r#"
import pickle, base64, yaml
def handler(event, context):
    data = base64.b64decode(event["body"])
    obj = pickle.loads(data)
    cfg = yaml.load(event["body"], Loader=yaml.SafeLoader)
    cfg2 = yaml.load(event["body"])
"#);
    assert_eq!(
        kinds(&issues),
        vec![UnsafeDeserialization, UnsafeDeserialization],
        "{:#?}",
        issues
    );
    let js_issues = js(r#"
const serialize = require('node-serialize');
exports.handler = async (event) => serialize.unserialize(event.body);"#);
    assert_eq!(
        kinds(&js_issues),
        vec![UnsafeDeserialization],
        "{:#?}",
        js_issues
    );
}

#[test]
fn sql_string_building_versus_parameters() {
    let bad = js(r#"
const { Pool } = require('pg');
const pool = new Pool();
exports.handler = async (event) => {
  const id = event.pathParameters.id;
  return pool.query(`SELECT * FROM users WHERE id = '${id}'`);
};"#);
    assert_eq!(kinds(&bad), vec![SqlInjection], "{:#?}", bad);
    let good = js(r#"
const { Pool } = require('pg');
const pool = new Pool();
exports.handler = async (event) => pool.query('SELECT * FROM users WHERE id = $1', [event.pathParameters.id]);"#);
    assert!(good.is_empty(), "{good:#?}");
    let py_bad = py(r#"
import pymysql
conn = pymysql.connect()
def handler(event, context):
    cur = conn.cursor()
    cur.execute("SELECT * FROM t WHERE name = '%s'" % event["queryStringParameters"]["n"])
    cur.execute("SELECT * FROM t WHERE name = '{}'".format(event["body"]))
    cur.execute("SELECT * FROM t WHERE name = %s", (event["body"],))
"#);
    assert_eq!(
        kinds(&py_bad),
        vec![SqlInjection, SqlInjection],
        "{:#?}",
        py_bad
    );
}

#[test]
fn nosql_operator_injection_needs_a_parsed_object() {
    let bad = js(r#"
exports.handler = async (event) => {
  const body = JSON.parse(event.body);
  return db.collection('users').findOne({ user: body.user, pass: body.pass });
};"#);
    assert_eq!(kinds(&bad), vec![NoSqlInjection], "{:#?}", bad);
    let where_ = js(r#"
exports.handler = async (event) => users.find({ $where: `this.name == '${event.queryStringParameters.n}'` });"#);
    assert_eq!(kinds(&where_), vec![NoSqlInjection], "{:#?}", where_);
    let good = js(r#"
exports.handler = async (event) => {
  const body = JSON.parse(event.body);
  return db.collection('users').findOne({ user: String(body.user) });
};"#);
    assert!(good.is_empty(), "{good:#?}");
}

#[test]
fn path_traversal_and_basename_and_prefix_check() {
    let bad = js(r#"
const fs = require('fs');
const path = require('path');
exports.handler = async (event) => fs.readFileSync(path.join('/data', event.pathParameters.name));"#);
    assert_eq!(kinds(&bad), vec![PathTraversal], "{:#?}", bad);
    let base = js(r#"
const fs = require('fs');
const path = require('path');
exports.handler = async (event) => fs.readFileSync(path.join('/data', path.basename(event.pathParameters.name)));"#);
    assert!(base.is_empty(), "{base:#?}");
    let prefix = py(r#"
import os
BASE = "/data"
def handler(event, context):
    p = os.path.realpath(os.path.join(BASE, event["pathParameters"]["name"]))
    if not p.startswith(BASE + "/"):
        return {"statusCode": 400}
    with open(p) as f:
        return {"statusCode": 200, "body": f.read()}
"#);
    assert!(prefix.is_empty(), "{prefix:#?}");
    let no_norm = py(r#"
def handler(event, context):
    p = "/data/" + event["pathParameters"]["name"]
    if not p.startswith("/data/"):
        return {"statusCode": 400}
    return open(p).read()
"#);
    assert_eq!(kinds(&no_norm), vec![PathTraversal], "{:#?}", no_norm);
}

#[test]
fn a_query_builder_object_is_not_sql_text() {
    let fauna = py(r#"
from faunadb import query
from faunadb.objects import Ref
def handler(event, context):
    ref = Ref("todos", event["pathParameters"]["id"])
    return client.query(query.get(ref))
"#);
    assert!(fauna.is_empty(), "{fauna:#?}");
    let formatted = js(
        "const util = require('util');\nexports.handler = async (e) => db.query(util.format('SELECT * FROM t WHERE id = %s', e.pathParameters.id));",
    );
    assert_eq!(kinds(&formatted), vec![SqlInjection], "{formatted:#?}");
}

#[test]
fn ssrf_unless_the_host_is_fixed() {
    let bad = js("exports.handler = async (event) => fetch(event.queryStringParameters.url);");
    assert_eq!(kinds(&bad), vec![Ssrf], "{:#?}", bad);
    let fixed = js(
        "exports.handler = async (event) => fetch(`https://api.example.com/users/${event.pathParameters.id}`);",
    );
    assert!(fixed.is_empty(), "{fixed:#?}");
    let py_bad = py(
        "import requests\ndef handler(event, context):\n    return requests.get(event['queryStringParameters']['u']).text\n",
    );
    assert_eq!(kinds(&py_bad), vec![Ssrf], "{:#?}", py_bad);
    let axios = js(
        "const axios = require('axios');\nexports.handler = async (e) => axios({ url: JSON.parse(e.body).target });",
    );
    assert_eq!(kinds(&axios), vec![Ssrf], "{:#?}", axios);
    // A request object to a constant URL whose body carries event data is no SSRF…
    let body_only = py(r#"
import json, urllib.request
URL = "https://api.payments.example.com/v1/charges"
def handler(event, context):
    order = json.loads(event["body"])
    req = urllib.request.Request(URL, data=json.dumps(order).encode(), method="POST")
    return urllib.request.urlopen(req).read()
"#);
    assert!(body_only.is_empty(), "{body_only:#?}");
    // …but one whose URL comes from the event is.
    let url_from_event = py(r#"
import json, urllib.request
def handler(event, context):
    target = json.loads(event["body"])["callback"]
    req = urllib.request.Request(target, data=b"{}", method="POST")
    return urllib.request.urlopen(req).read()
"#);
    let found = kinds(&url_from_event);
    assert!(
        !found.is_empty() && found.iter().all(|k| *k == Ssrf),
        "{url_from_event:#?}"
    );
}

#[test]
fn xxe_with_entity_resolution() {
    let bad = py(r#"
from lxml import etree
def handler(event, context):
    parser = etree.XMLParser(resolve_entities=True)
    return etree.fromstring(event["body"], parser)
"#);
    assert_eq!(kinds(&bad), vec![Xxe], "{:#?}", bad);
    let good = py(r#"
from lxml import etree
def handler(event, context):
    parser = etree.XMLParser(resolve_entities=False)
    return etree.fromstring(event["body"], parser)
"#);
    assert!(good.is_empty(), "{good:#?}");
    let js_bad = js(
        "const libxmljs = require('libxmljs');\nexports.handler = async (e) => libxmljs.parseXml(e.body, { noent: true });",
    );
    assert_eq!(kinds(&js_bad), vec![Xxe], "{:#?}", js_bad);
}

#[test]
fn triggers_decide_what_is_tainted() {
    let code = "import os\ndef handler(event, context):\n    for r in event['Records']:\n        os.system('process ' + r['s3']['object']['key'])\n";
    let s3 = run_files(&[("app.py", code)], "app.py", "handler", &[TriggerKind::S3]);
    assert_eq!(kinds(&s3), vec![CommandInjection], "{:#?}", s3);
    let sched = run_files(
        &[("app.py", code)],
        "app.py",
        "handler",
        &[TriggerKind::Schedule],
    );
    assert!(sched.is_empty(), "{sched:#?}");
    let sqs = "const {exec} = require('child_process');\nexports.handler = async (event) => { for (const r of event.Records) { exec(r.body); } };";
    let found = run_files(&[("i.js", sqs)], "i.js", "handler", &[TriggerKind::Sqs]);
    assert_eq!(kinds(&found), vec![CommandInjection], "{:#?}", found);
    let body_in_s3 = run_files(&[("i.js", sqs)], "i.js", "handler", &[TriggerKind::S3]);
    assert!(body_in_s3.is_empty());
}

#[test]
fn typescript_and_local_modules() {
    let issues = run_files(
        &[
            (
                "src/app.ts",
                "import { runReport } from './lib/report';\nimport type { APIGatewayProxyEvent } from 'aws-lambda';\nexport const handler = async (event: APIGatewayProxyEvent): Promise<unknown> => {\n  const name = event.queryStringParameters!.name as string;\n  return runReport(name);\n};\n",
            ),
            (
                "src/lib/report.ts",
                "import { execSync } from 'child_process';\nexport function runReport(n: string) {\n  return execSync(`report --name ${n}`).toString();\n}\n",
            ),
        ],
        "src/app.ts",
        "handler",
        &[TriggerKind::Api],
    );
    assert_eq!(kinds(&issues), vec![CommandInjection], "{:#?}", issues);
    assert_eq!(&*issues[0].origin.file, "src/lib/report.ts");
    assert_eq!(&*issues[0].flow[0].origin.file, "src/app.ts");
}

#[test]
fn python_local_module_import() {
    let issues = run_files(
        &[
            (
                "app.py",
                "from helpers.db import find_user\ndef handler(event, context):\n    return find_user(event['pathParameters']['id'])\n",
            ),
            (
                "helpers/db.py",
                "import sqlite3\ndef find_user(uid):\n    c = sqlite3.connect('x').cursor()\n    return c.execute(f\"SELECT * FROM u WHERE id = {uid}\").fetchall()\n",
            ),
        ],
        "app.py",
        "handler",
        &[TriggerKind::HttpApi],
    );
    assert_eq!(kinds(&issues), vec![SqlInjection], "{:#?}", issues);
}

#[test]
fn validation_breaks_the_path() {
    let zod = ts(r#"
import { z } from 'zod';
import { execSync } from 'child_process';
const Body = z.object({ host: z.string().regex(/^[a-z.]+$/) });
export const handler = async (event: any) => {
  const body = Body.parse(JSON.parse(event.body));
  execSync(`ping -c1 ${body.host}`);
};"#);
    assert!(zod.is_empty(), "{zod:#?}");
    let pydantic = py(r#"
import os, json
from pydantic import BaseModel
class Req(BaseModel):
    host: str
def handler(event, context):
    req = Req(**json.loads(event["body"]))
    os.system("ping " + req.host)
"#);
    assert!(pydantic.is_empty(), "{pydantic:#?}");
    let ajv = js(r#"
const Ajv = require('ajv');
const validate = new Ajv().compile({ type: 'object' });
const { exec } = require('child_process');
exports.handler = async (event) => {
  const body = JSON.parse(event.body);
  if (!validate(body)) return { statusCode: 400 };
  exec('ping ' + body.host);
};"#);
    assert!(ajv.is_empty(), "{ajv:#?}");
}

#[test]
fn express_routes_under_serverless_http() {
    let issues = js(r#"
const serverless = require('serverless-http');
const express = require('express');
const { exec } = require('child_process');
const app = express();
app.post('/run', (req, res) => { exec(req.body.cmd); res.send('ok'); });
app.get('/health', (req, res) => res.send('ok'));
module.exports.handler = serverless(app);
"#);
    assert_eq!(kinds(&issues), vec![CommandInjection], "{:#?}", issues);
}

#[test]
fn flask_and_chalice_routes() {
    let flask = py(r#"
import os
from flask import Flask, request
import serverless_wsgi
app = Flask(__name__)
@app.route("/run", methods=["POST"])
def run():
    os.system(request.args.get("cmd"))
    return "ok"
def handler(event, context):
    return serverless_wsgi.handle_request(app, event, context)
"#);
    assert_eq!(kinds(&flask), vec![CommandInjection], "{:#?}", flask);
    let chalice = run_files(
        &[(
            "app.py",
            "import subprocess\nfrom chalice import Chalice\napp = Chalice(app_name='x')\n@app.route('/r/{name}')\ndef r(name):\n    subprocess.call('echo ' + name, shell=True)\n@app.route('/b', methods=['POST'])\ndef b():\n    body = app.current_request.json_body\n    return eval(body['expr'])\n",
        )],
        "app.py",
        "app",
        &[TriggerKind::Api],
    );
    assert_eq!(
        kinds(&chalice),
        vec![CommandInjection, CodeInjection],
        "{:#?}",
        chalice
    );
}

#[test]
fn closures_see_the_enclosing_locals() {
    let issues = js(r#"
const { exec } = require('child_process');
exports.handler = async (event) => {
  const size = JSON.parse(event.body).size;
  await new Promise((resolve) => { exec(`convert -resize ${size} a b`, resolve); });
};"#);
    assert_eq!(kinds(&issues), vec![CommandInjection], "{:#?}", issues);
}

#[test]
fn last_path_segment_is_a_base_name() {
    let py_issues = py(r#"
def handler(event, context):
    key = event["Records"][0]["s3"]["object"]["key"]
    name = "/tmp/" + key.split("/")[-1]
    return open(name).read()
"#);
    assert!(py_issues.is_empty(), "{py_issues:#?}");
    let js_issues = js(r#"
const fs = require('fs');
exports.handler = async (event) => {
  const name = event.pathParameters.file.split('/').pop();
  const whole = event.pathParameters.file.split('/').join('_');
  fs.readFileSync('/tmp/' + name);
  fs.readFileSync('/tmp/' + whole);
};"#);
    assert_eq!(kinds(&js_issues), vec![PathTraversal], "{:#?}", js_issues);
}

#[test]
fn wrapped_handlers_and_powertools_routes() {
    let middy = js(r#"
const middy = require('@middy/core');
const jsonBodyParser = require('@middy/http-json-body-parser');
const { execSync } = require('child_process');
const base = async (event) => { execSync('ls ' + event.body.dir); };
module.exports.handler = middy(base).use(jsonBodyParser());
"#);
    assert_eq!(kinds(&middy), vec![CommandInjection], "{:#?}", middy);
    let powertools = py(r#"
import os
from aws_lambda_powertools.event_handler import APIGatewayRestResolver
app = APIGatewayRestResolver()

@app.get("/files/<name>")
def get_file(name):
    return open("/data/" + name).read()

@app.post("/run")
def run():
    os.system(app.current_event.json_body["cmd"])

def handler(event, context):
    return app.resolve(event, context)
"#);
    assert_eq!(
        kinds(&powertools),
        vec![PathTraversal, CommandInjection],
        "{:#?}",
        powertools
    );
}

#[test]
fn joi_validated_values_are_clean() {
    let issues = js(r#"
const Joi = require('joi');
const { exec } = require('child_process');
const schema = Joi.object({ host: Joi.string().hostname() });
exports.handler = async (event) => {
  const { error, value } = schema.validate(JSON.parse(event.body));
  if (error) return { statusCode: 400 };
  exec('ping -c1 ' + value.host);
  exec('ping -c1 ' + JSON.parse(event.body).host);
};"#);
    assert_eq!(kinds(&issues), vec![CommandInjection], "{:#?}", issues);
    assert!(
        issues[0].message.contains("JSON.parse(event.body).host"),
        "{}",
        issues[0].message
    );
}

#[test]
fn sanitisers_protect_only_their_own_sinks() {
    let issues = py(r#"
import os, shlex, sqlite3
def handler(event, context):
    name = shlex.quote(event["queryStringParameters"]["name"])
    os.system("grep " + name + " /data/index")
    sqlite3.connect("x").cursor().execute("SELECT * FROM t WHERE n = '" + name + "'")
    base = os.path.basename(event["queryStringParameters"]["file"])
    open("/data/" + base).read()
    os.system("cat /data/" + base)
"#);
    assert_eq!(
        kinds(&issues),
        vec![SqlInjection, CommandInjection],
        "{:#?}",
        issues
    );
}

#[test]
fn partiql_and_data_api_statements() {
    let js_issues = js(r#"
const { DynamoDBClient, ExecuteStatementCommand } = require('@aws-sdk/client-dynamodb');
const ddb = new DynamoDBClient({});
exports.handler = async (event) => {
  const id = event.pathParameters.id;
  await ddb.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM Orders WHERE id = '${id}'` }));
  await ddb.send(new ExecuteStatementCommand({ Statement: 'SELECT * FROM Orders WHERE id = ?', Parameters: [{ S: id }] }));
};"#);
    assert_eq!(kinds(&js_issues), vec![SqlInjection], "{:#?}", js_issues);
    let py_issues = py(r#"
import boto3
rds = boto3.client("rds-data")
def handler(event, context):
    name = event["queryStringParameters"]["name"]
    rds.execute_statement(resourceArn="arn", secretArn="arn", sql=f"SELECT * FROM t WHERE n = '{name}'")
    rds.execute_statement(resourceArn="arn", secretArn="arn", sql="SELECT * FROM t WHERE n = :n",
                          parameters=[{"name": "n", "value": {"stringValue": name}}])
"#);
    assert_eq!(kinds(&py_issues), vec![SqlInjection], "{:#?}", py_issues);
}

#[test]
fn tagged_sql_templates_are_parameterised() {
    let issues = js(r#"
const postgres = require('postgres');
const sql = postgres();
exports.handler = async (event) => {
  const id = event.pathParameters.id;
  await sql`SELECT * FROM users WHERE id = ${id}`;
  await prisma.$queryRaw`SELECT * FROM users WHERE id = ${id}`;
  await prisma.$queryRawUnsafe(`SELECT * FROM users WHERE id = ${id}`);
};"#);
    assert_eq!(kinds(&issues), vec![SqlInjection], "{:#?}", issues);
}

#[test]
fn methods_of_local_classes() {
    let py_issues = py(r#"
import subprocess
class Runner:
    def __init__(self, prefix):
        self.prefix = prefix
    def run(self, arg):
        return subprocess.check_output(self.prefix + " " + arg, shell=True)
def handler(event, context):
    return Runner("echo").run(event["body"])
"#);
    assert_eq!(
        kinds(&py_issues),
        vec![CommandInjection],
        "{:#?}",
        py_issues
    );
    let js_issues = js(r#"
const { execSync } = require('child_process');
class Handler {
  async handle(event) { return execSync('echo ' + event.body); }
}
const h = new Handler();
exports.handler = h.handle.bind(h);
"#);
    assert_eq!(
        kinds(&js_issues),
        vec![CommandInjection],
        "{:#?}",
        js_issues
    );
}

#[test]
fn elements_of_tainted_collections_start_a_flow_in_the_file() {
    let issues = run_files(
        &[(
            "mq.py",
            "import os\ndef handler(event, context):\n    for m in event['messages']:\n        os.system(m['data'])\n",
        )],
        "mq.py",
        "handler",
        &[TriggerKind::Mq],
    );
    assert_eq!(kinds(&issues), vec![CommandInjection], "{:#?}", issues);
    assert!(
        issues[0].flow[0].message.contains("MQ message"),
        "{:#?}",
        issues[0].flow
    );
}

#[test]
fn python_nosql_from_parsed_bodies() {
    let issues = py(r#"
import json
from pymongo import MongoClient
users = MongoClient()["app"]["users"]
def handler(event, context):
    body = json.loads(event["body"])
    found = users.find_one({"name": body["name"], "password": body["password"]})
    safe = users.find_one({"name": str(body["name"])})
    return {"statusCode": 200 if found and safe else 401}
"#);
    assert_eq!(kinds(&issues), vec![NoSqlInjection], "{:#?}", issues);
}
