import os
import re
import subprocess

import serverless_wsgi
from flask import Flask, request

app = Flask(__name__)


@app.route("/convert", methods=["POST"])
def convert():
    name = request.form["name"]
    if not re.fullmatch(r"[a-z0-9-]{1,32}", name):
        return "bad name", 400
    subprocess.run(["convert", "/tmp/in.png", "/tmp/" + name + ".jpg"], check=True)
    os.system("convert /tmp/in.png /tmp/" + name + ".png")
    return "ok"


def handler(event, context):
    return serverless_wsgi.handle_request(app, event, context)
