using System.Net;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.Extensions.Logging;

namespace Orders;

public class OrderFunctions
{
    private readonly ILogger<OrderFunctions> _logger;

    public OrderFunctions(ILogger<OrderFunctions> logger) => _logger = logger;

    [Function("GetOrder")]
    public HttpResponseData GetOrder(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "orders/{id}")] HttpRequestData req,
        string id)
    {
        _logger.LogInformation("order {Id}", id);
        return req.CreateResponse(HttpStatusCode.OK);
    }

    [Function(nameof(CreateOrder))]
    public HttpResponseData CreateOrder(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "orders")] HttpRequestData req)
    {
        return req.CreateResponse(HttpStatusCode.Created);
    }

    [Function("Cleanup")]
    public void Cleanup([TimerTrigger("0 0 3 * * *")] TimerInfo timer)
    {
        _logger.LogInformation("cleanup at {Next}", timer.ScheduleStatus?.Next);
    }
}
