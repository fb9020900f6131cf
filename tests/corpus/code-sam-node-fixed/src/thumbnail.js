const { execFile } = require('child_process');
const jwt = require('jsonwebtoken');
const { z } = require('zod');

const Body = z.object({ width: z.number().int().max(4096), height: z.number().int().max(4096) });
const SIZES = ['small', 'medium', 'large'];

exports.handler = async (event) => {
  console.log({ path: event.path, requestId: event.requestContext.requestId });
  const claims = jwt.verify(event.headers.authorization, process.env.PUBLIC_KEY, { algorithms: ['RS256'] });
  const body = Body.parse(JSON.parse(event.body));
  const preset = event.queryStringParameters.preset;
  if (!SIZES.includes(preset)) {
    return { statusCode: 400, body: 'unknown preset' };
  }
  // A constant expression: not injection.
  const scale = eval('2 * 1');
  await new Promise((resolve) => {
    execFile('convert', ['/tmp/in.png', '-resize', `${body.width}x${body.height}`, `/tmp/${preset}.png`], resolve);
  });
  return { statusCode: 200, body: JSON.stringify({ user: claims.sub, scale }) };
};

// Never a handler and never called from one: not reported.
function legacy(event) {
  require('child_process').exec(event.body);
}
module.exports.legacy = legacy;
