import json
import os

import boto3

from store import save_receipt

table = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])
sqs = boto3.client("sqs")


def handler(event, context):
    order = json.loads(event["body"])
    table.put_item(Item=order)
    save_receipt(order["id"], json.dumps(order))
    sqs.send_message(QueueUrl=os.environ["JOBS_URL"], MessageBody=order["id"])
    return {"statusCode": 201, "body": json.dumps({"id": order["id"]})}
