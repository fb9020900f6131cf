def handle(event, _context):
    return {"statusCode": 204}
