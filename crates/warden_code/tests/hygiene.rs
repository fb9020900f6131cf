//! Sensitive logging, unverified JWTs and error details returned to clients.
#![allow(clippy::unwrap_used)]

mod support;
use support::*;
use warden_code::IssueKind::*;

#[test]
fn logging_the_event_or_secrets() {
    let issues = js(r#"
exports.handler = async (event) => {
  console.log(JSON.stringify(event));
  console.info('user', event.headers);
  const { password, username } = JSON.parse(event.body);
  console.log(`login ${username} ${password}`);
  console.log('request id', event.requestContext.requestId);
  console.log('count', 3);
  console.log('hashing rounds', process.env.PASSWORD_ITERATIONS, process.env.TOKEN_TTL);
};"#);
    assert_eq!(
        kinds(&issues),
        vec![SensitiveLogging, SensitiveLogging, SensitiveLogging],
        "{:#?}",
        issues
    );
    let py_issues = py(r#"
import logging
logger = logging.getLogger()
def handler(event, context):
    logger.info(event)
    logger.info("card %s", event["body"])
    print(f"token={event['headers']['Authorization']}")
    logging.info("done")
"#);
    assert_eq!(
        kinds(&py_issues),
        vec![SensitiveLogging, SensitiveLogging],
        "{:#?}",
        py_issues
    );
}

#[test]
fn jwt_decode_without_verification() {
    let issues = js(r#"
const jwt = require('jsonwebtoken');
exports.handler = async (event) => {
  const token = event.headers.authorization.split(' ')[1];
  const claims = jwt.decode(token);
  const payload = JSON.parse(Buffer.from(token.split('.')[1], 'base64').toString());
  const ok = jwt.verify(token, process.env.KEY);
  return claims.sub + payload.sub + ok;
};"#);
    assert_eq!(
        kinds(&issues),
        vec![JwtWithoutVerification, JwtWithoutVerification],
        "{:#?}",
        issues
    );
    let py_issues = py(r#"
import jwt
def handler(event, context):
    t = event["headers"]["authorization"]
    a = jwt.decode(t, options={"verify_signature": False})
    b = jwt.decode(t, key="k", algorithms=["HS256"])
    return a, b
"#);
    assert_eq!(
        kinds(&py_issues),
        vec![JwtWithoutVerification],
        "{:#?}",
        py_issues
    );
}

#[test]
fn errors_returned_to_clients() {
    let issues = js(r#"
exports.handler = async (event) => {
  try {
    return await work(event);
  } catch (err) {
    return { statusCode: 500, body: JSON.stringify(err) };
  }
};
exports.other = async (event) => {
  try { return await work(event); } catch (err) {
    console.error(err);
    return { statusCode: 500, body: JSON.stringify({ message: 'internal error' }) };
  }
};"#);
    assert_eq!(kinds(&issues), vec![ErrorDetailsToClient], "{:#?}", issues);
    let stack = js(
        "exports.handler = async (e) => { try { x(); } catch (e2) { return { statusCode: 500, body: e2.stack }; } };",
    );
    assert_eq!(kinds(&stack), vec![ErrorDetailsToClient], "{:#?}", stack);
    let py_issues = py(r#"
import traceback, json
def handler(event, context):
    try:
        work()
    except Exception as e:
        return {"statusCode": 500, "body": json.dumps({"error": traceback.format_exc()})}
"#);
    assert_eq!(
        kinds(&py_issues),
        vec![ErrorDetailsToClient],
        "{:#?}",
        py_issues
    );
    let fine = py(r#"
import logging
def handler(event, context):
    try:
        work()
    except Exception as e:
        logging.exception("failed")
        return {"statusCode": 500, "body": "internal error"}
"#);
    assert!(fine.is_empty(), "{fine:#?}");
}

#[test]
fn express_error_handlers_receive_the_error() {
    let issues = js(r#"
const serverless = require('serverless-http');
const express = require('express');
const app = express();
app.get('/x', (req, res) => res.send('ok'));
app.use((err, req, res, next) => {
  console.error(err);
  res.status(500).json({ error: err.stack });
});
module.exports.handler = serverless(app);
"#);
    assert_eq!(kinds(&issues), vec![ErrorDetailsToClient], "{:#?}", issues);
}
