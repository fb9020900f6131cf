import os
import boto3

# Look-alikes that are not secrets: a digest, a UUID, a commit id, AWS's documentation key.
RECEIPT_SHA256 = "9f2c1e8b7a6d5c4b3a29181716151413121110f0e0d0c0b0a090807060504030"
REQUEST_ID = "3f6c2b1e-8d4a-4f7e-9b2c-1a0d5e6f7a8b"
BUILD_COMMIT = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
DOCS_KEY = "AKIAIOSFODNN7EXAMPLE"
TOKEN_ARN = os.environ["GITHUB_TOKEN_ARN"]

# The mistakes: a key pair and a GitHub token written in the handler.
session = boto3.Session(
    aws_access_key_id="AKIANXAW3BNMLIQXXY35",
    aws_secret_access_key="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",
)
GITHUB_TOKEN = "ghp_8HlrwYMfvea9lkxwkkMxzwwM5hpA6eEfujfo"


def handler(event, context):
    return {"statusCode": 200}
