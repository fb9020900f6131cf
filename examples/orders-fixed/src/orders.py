import json
import os
import urllib.request

import boto3

TABLE = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])
SECRETS = boto3.client("secretsmanager")
PAYMENTS_URL = "https://api.payments.example.com/v1/charges"
_payment_key = None


def payment_key():
    """The payment provider's key, read from Secrets Manager once per execution environment."""
    global _payment_key
    if _payment_key is None:
        secret = SECRETS.get_secret_value(SecretId=os.environ["PAYMENT_SECRET_ARN"])
        _payment_key = secret["SecretString"]
    return _payment_key


def charge(order):
    request = urllib.request.Request(
        PAYMENTS_URL,
        data=json.dumps({"amount": order["amount"], "currency": "EUR"}).encode(),
        headers={"Authorization": f"Bearer {payment_key()}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.load(response)["id"]


def create(event, _context):
    order = json.loads(event["body"])
    order["charge_id"] = charge(order)
    TABLE.put_item(Item=order)
    return {"statusCode": 201, "body": json.dumps({"id": order["id"]})}


def get(event, _context):
    item = TABLE.get_item(Key={"id": event["pathParameters"]["id"]}).get("Item")
    return {"statusCode": 200 if item else 404, "body": json.dumps(item or {})}
