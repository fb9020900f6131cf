import { app, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';

export async function purge(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
    context.log('purge requested');
    return { status: 202 };
}

app.deleteRequest('purgeCache', { authLevel: 'anonymous', route: 'cache', handler: purge });

app.storageQueue('onOrder', {
    queueName: 'orders',
    connection: 'AzureWebJobsStorage',
    handler: async (message: unknown, context: InvocationContext) => { context.log('order queued'); },
});
