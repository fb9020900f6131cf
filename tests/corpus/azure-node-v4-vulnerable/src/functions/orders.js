const { app } = require('@azure/functions');

async function getOrder(request, context) {
    context.log(`order ${request.params.id}`);
    return { jsonBody: { id: request.params.id } };
}

// No authLevel: the Node.js v4 model defaults to anonymous.
app.http('getOrder', {
    methods: ['GET'],
    route: 'orders/{id}',
    handler: getOrder,
});

app.http('createOrder', {
    methods: ['POST'],
    authLevel: 'function',
    route: 'orders',
    handler: async (request) => ({ status: 201, body: await request.text() }),
});
