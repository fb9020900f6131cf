const { execSync } = require('child_process');

// A schedule carries no attacker data: the event's fields are not sources.
exports.handler = async (event) => {
  execSync(`echo ${event.time} >> /tmp/runs.log`);
  return { ok: true };
};
