#!/usr/bin/env node
// Differential oracle for warden_iam: reads cases in the `warden iam eval --batch` format (one JSON
// object a line) from the file named on the command line, evaluates each with the independent
// implementation in the npm package @cloud-copilot/iam-simulate, and prints one JSON line a case:
// {"decision": "Allowed"|"ImplicitlyDenied"|"ExplicitlyDenied"} or {"error": "..."}.
// Install: npm ci --prefix scripts/iam
'use strict';
const fs = require('fs');
const { runSimulation, anonymousPrincipal } = require('@cloud-copilot/iam-simulate');

const named = (prefix, list) => (list || []).map((policy, i) => ({ name: `${prefix}-${i}`, policy }));
const levels = (prefix, list) =>
  (list || []).map((l, i) => ({
    orgIdentifier: l.orgIdentifier || `${prefix}-${i}`,
    policies: named(`${prefix}-${i}`, l.policies),
  }));

function accountOf(arn) {
  const f = String(arn || '').split(':');
  return f.length >= 6 && f[0] === 'arn' && f[4] ? f[4] : undefined;
}

function toSimulation(c) {
  const r = c.request;
  const principal = r.principal === null || r.principal === undefined ? anonymousPrincipal : r.principal;
  const accountId = r.resourceAccount || accountOf(r.resource) || r.principalAccount || accountOf(r.principal) || '000000000000';
  const sim = {
    request: {
      principal,
      action: r.action,
      resource: { resource: r.resource, accountId },
      contextVariables: r.context || {},
    },
    identityPolicies: named('identity', c.identityPolicies),
    serviceControlPolicies: levels('scp', c.serviceControlPolicies),
    resourceControlPolicies: levels('rcp', c.resourceControlPolicies),
  };
  if (c.resourcePolicy) sim.resourcePolicy = c.resourcePolicy;
  if (c.permissionBoundaries && c.permissionBoundaries.length) sim.permissionBoundaryPolicies = named('boundary', c.permissionBoundaries);
  if (c.sessionPolicy) sim.sessionPolicy = c.sessionPolicy;
  if (c.endpointPolicies && c.endpointPolicies.length) sim.vpcEndpointPolicies = named('endpoint', c.endpointPolicies);
  return sim;
}

async function main() {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: differential.js CASES.jsonl');
    process.exit(2);
  }
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim());
  const out = [];
  for (const line of lines) {
    let result;
    try {
      const res = await runSimulation(toSimulation(JSON.parse(line)), {});
      if (res.resultType === 'error') {
        result = { error: JSON.stringify(res.errors).slice(0, 300) };
      } else {
        result = { decision: res.overallResult };
      }
    } catch (e) {
      result = { error: String(e && e.message ? e.message : e).slice(0, 300) };
    }
    out.push(JSON.stringify(result));
  }
  process.stdout.write(out.join('\n') + (out.length ? '\n' : ''));
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
