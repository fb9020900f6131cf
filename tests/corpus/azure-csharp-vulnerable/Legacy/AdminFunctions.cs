using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.WebJobs;
using Microsoft.Azure.WebJobs.Extensions.Http;

namespace Orders.Legacy
{
    public static class AdminFunctions
    {
        [FunctionName("ResetCache")]
        public static IActionResult Run(
            [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admin/reset")] HttpRequest req)
        {
            return new OkResult();
        }

        [FunctionName("Stats")]
        public static IActionResult Stats([HttpTrigger("get", Route = null)] HttpRequest req)
        {
            // "[HttpTrigger(AuthorizationLevel.Anonymous)]" in a string is not an attribute.
            return new OkObjectResult("[HttpTrigger(AuthorizationLevel.Anonymous)]");
        }
    }
}
