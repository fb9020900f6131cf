import os

def handler(event, context):
    return {"ok": True}
