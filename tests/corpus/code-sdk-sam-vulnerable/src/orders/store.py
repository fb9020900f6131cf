import os

import boto3

s3 = boto3.client("s3")
BUCKET = os.environ["RECEIPTS_BUCKET"]


def save_receipt(order_id, text):
    s3.put_object(Bucket=BUCKET, Key=f"receipts/{order_id}.json", Body=text.encode())
