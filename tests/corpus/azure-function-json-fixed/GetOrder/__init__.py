import azure.functions as func


def main(req: func.HttpRequest) -> func.HttpResponse:
    order_id = req.route_params.get("id")
    return func.HttpResponse(f"order {order_id}", status_code=200)
