import json
import logging
import os
import subprocess
import traceback

import jwt
import requests
from lxml import etree

from lib.store import find_customer

logger = logging.getLogger()

BACKUP_ROOT = "/tmp/backups"


def handler(event, context):
    logger.info("event: %s", json.dumps(event))
    token = event["headers"].get("authorization", "")
    claims = jwt.decode(token, options={"verify_signature": False})
    body = json.loads(event["body"])
    action = event["pathParameters"]["action"]
    try:
        if action == "ping":
            host = body["host"]
            out = subprocess.check_output(f"ping -c 1 {host}", shell=True)
            return {"statusCode": 200, "body": out.decode()}
        if action == "fetch":
            return {"statusCode": 200, "body": requests.get(body["url"]).text}
        if action == "restore":
            with open(os.path.join(BACKUP_ROOT, body["name"])) as f:
                return {"statusCode": 200, "body": f.read()}
        if action == "import":
            parser = etree.XMLParser(resolve_entities=True)
            doc = etree.fromstring(body["xml"], parser)
            return {"statusCode": 200, "body": doc.tag}
        if action == "customer":
            return {"statusCode": 200, "body": json.dumps(find_customer(body["email"]))}
        if action == "calc":
            return {"statusCode": 200, "body": str(eval(body["expression"]))}
        return {"statusCode": 404, "body": claims["sub"]}
    except Exception:
        return {"statusCode": 500, "body": traceback.format_exc()}
