package com.orders;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import java.util.Optional;

public class OrderFunctions {
    @FunctionName("ListOrders")
    public HttpResponseMessage list(
            @HttpTrigger(
                name = "req",
                methods = {HttpMethod.GET},
                authLevel = AuthorizationLevel.ANONYMOUS,
                route = "orders")
            HttpRequestMessage<Optional<String>> request,
            final ExecutionContext context) {
        context.getLogger().info("listing orders");
        return request.createResponseBuilder(HttpStatus.OK).body("[]").build();
    }

    @FunctionName("CancelOrder")
    public HttpResponseMessage cancel(
            @HttpTrigger(name = "req", methods = {HttpMethod.POST}, route = "orders/{id}/cancel")
            HttpRequestMessage<Optional<String>> request,
            final ExecutionContext context) {
        return request.createResponseBuilder(HttpStatus.ACCEPTED).build();
    }

    @FunctionName("ShipOrder")
    public void ship(
            @QueueTrigger(name = "msg", queueName = "shipments", connection = "AzureWebJobsStorage") String message,
            final ExecutionContext context) {
        context.getLogger().info("shipping");
    }
}
