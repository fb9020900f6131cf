import os

import serverless_wsgi
from flask import Flask, request

app = Flask(__name__)


@app.route("/convert", methods=["POST"])
def convert():
    name = request.form["name"]
    os.system("convert /tmp/in.png /tmp/" + name + ".jpg")
    return "ok"


@app.route("/health")
def health():
    return "ok"


def handler(event, context):
    return serverless_wsgi.handle_request(app, event, context)
