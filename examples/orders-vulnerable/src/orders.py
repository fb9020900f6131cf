import json
import os

import boto3

TABLE = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])


def create(event, _context):
    order = json.loads(event["body"])
    TABLE.put_item(Item=order)
    return {"statusCode": 201, "body": json.dumps({"id": order["id"]})}


def get(event, _context):
    item = TABLE.get_item(Key={"id": event["pathParameters"]["id"]}).get("Item")
    return {"statusCode": 200 if item else 404, "body": json.dumps(item or {})}
