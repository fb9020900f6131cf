import json
import logging
import os
import shlex
import subprocess

import jwt
import requests
from lxml import etree
from pydantic import BaseModel

from lib.store import find_customer

logger = logging.getLogger()

BACKUP_ROOT = "/tmp/backups"
ALLOWED_HOSTS = {"status.example.com", "api.example.com"}


class Calc(BaseModel):
    a: int
    b: int


def handler(event, context):
    logger.info("request %s", event["requestContext"]["requestId"])
    token = event["headers"].get("authorization", "")
    claims = jwt.decode(token, os.environ["JWT_KEY"], algorithms=["RS256"])
    body = json.loads(event["body"])
    action = event["pathParameters"]["action"]
    try:
        if action == "ping":
            host = shlex.quote(body["host"])
            out = subprocess.check_output(f"ping -c 1 {host}", shell=True)
            return {"statusCode": 200, "body": out.decode()}
        if action == "fetch":
            host = body["host"]
            if host not in ALLOWED_HOSTS:
                return {"statusCode": 400, "body": "host not allowed"}
            return {"statusCode": 200, "body": requests.get("https://" + host + "/status").text}
        if action == "restore":
            path = os.path.realpath(os.path.join(BACKUP_ROOT, body["name"]))
            if not path.startswith(BACKUP_ROOT + os.sep):
                return {"statusCode": 400, "body": "bad name"}
            with open(path) as f:
                return {"statusCode": 200, "body": f.read()}
        if action == "import":
            parser = etree.XMLParser(resolve_entities=False, no_network=True)
            doc = etree.fromstring(body["xml"], parser)
            return {"statusCode": 200, "body": doc.tag}
        if action == "customer":
            return {"statusCode": 200, "body": json.dumps(find_customer(body["email"]))}
        if action == "calc":
            calc = Calc(**body)
            return {"statusCode": 200, "body": str(calc.a + calc.b)}
        return {"statusCode": 404, "body": claims["sub"]}
    except Exception:
        logger.exception("admin action failed")
        return {"statusCode": 500, "body": "internal error"}
