import os

import boto3

from archiver import archive_all

s3 = boto3.client("s3")


def handler(event, context):
    count = archive_all(s3, os.environ["RECEIPTS_BUCKET"])
    return {"archived": count}
