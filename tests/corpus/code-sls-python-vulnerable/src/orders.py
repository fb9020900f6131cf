import base64
import pickle

import yaml


def handler(event, context):
    for record in event["Records"]:
        order = pickle.loads(base64.b64decode(record["body"]))
        options = yaml.load(record["messageAttributes"]["options"]["stringValue"])
        print(f"processing order {order['id']} card={order['card_number']}")
        print("options", options)
