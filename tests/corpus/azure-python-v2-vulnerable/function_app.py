import json
import logging

import azure.functions as func

from reports import bp

app = func.FunctionApp(http_auth_level=func.AuthLevel.ANONYMOUS)
app.register_functions(bp)


@app.route(route="orders/{id}", methods=[func.HttpMethod.GET])
def get_order(req: func.HttpRequest) -> func.HttpResponse:
    order_id = req.route_params.get("id")
    return func.HttpResponse(json.dumps({"id": order_id}), mimetype="application/json")


@app.function_name(name="CreateOrder")
@app.route(route="orders", methods=["POST"], auth_level=func.AuthLevel.ANONYMOUS)
def create_order(req: func.HttpRequest) -> func.HttpResponse:
    body = req.get_json()
    logging.info("order received")
    return func.HttpResponse(json.dumps({"ok": bool(body)}), status_code=201)


@app.timer_trigger(schedule="0 0 * * * *", arg_name="timer", run_on_startup=False)
def nightly_cleanup(timer: func.TimerRequest) -> None:
    logging.info("cleanup")
