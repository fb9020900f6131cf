const { exec } = require('child_process');
const serialize = require('node-serialize');
const jwt = require('jsonwebtoken');

exports.handler = async (event) => {
  console.log(JSON.stringify(event));
  const claims = jwt.decode(event.headers.authorization);
  const body = JSON.parse(event.body);
  const size = `${body.width}x${body.height}`;
  const options = serialize.unserialize(body.options);
  // A constant expression: not injection.
  const scale = eval('2 * 1');
  await new Promise((resolve) => {
    exec(`convert /tmp/in.png -resize ${size} /tmp/out.png`, resolve);
  });
  return { statusCode: 200, body: JSON.stringify({ user: claims.sub, scale, options }) };
};

// Never a handler and never called from one: not reported.
function legacy(event) {
  exec(event.body);
}
module.exports.legacy = legacy;
