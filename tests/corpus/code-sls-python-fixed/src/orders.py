import json

import yaml


def handler(event, context):
    for record in event["Records"]:
        order = json.loads(record["body"])
        options = yaml.safe_load(record["messageAttributes"]["options"]["stringValue"])
        print(f"processing order {order['id']}")
        print("options", options)
