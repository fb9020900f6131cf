import { Client } from 'pg';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { renderPdf } from './lib/render';

const db = new Client();

export const handler = async (event: APIGatewayProxyEventV2) => {
  const id = event.pathParameters?.id;
  try {
    const rows = await db.query('SELECT * FROM reports WHERE id = $1', [id]);
    const pdf = await renderPdf(event.queryStringParameters?.template as string, rows);
    return { statusCode: 200, body: pdf };
  } catch (err) {
    console.error('report failed', err);
    return { statusCode: 500, body: JSON.stringify({ message: 'internal error' }) };
  }
};
