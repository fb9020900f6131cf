import azure.functions as func

bp = func.Blueprint()


@bp.route(route="reports/daily", auth_level="anonymous")
def daily_report(req: func.HttpRequest) -> func.HttpResponse:
    return func.HttpResponse("report")


@bp.queue_trigger(arg_name="msg", queue_name="reports", connection="AzureWebJobsStorage")
def build_report(msg: func.QueueMessage) -> None:
    pass


@bp.route(route="reports/weekly", methods=["GET"])
def weekly_report(req: func.HttpRequest) -> func.HttpResponse:
    # No auth_level: the level of the FunctionApp this blueprint is registered with applies.
    return func.HttpResponse("weekly")
