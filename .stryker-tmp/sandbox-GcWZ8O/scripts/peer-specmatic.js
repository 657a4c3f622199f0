#!/usr/bin/env node
// @ts-nocheck
// npm run peer:specmatic: Specmatic (a contract tester we did not write; npm's `specmatic`
// ships its jar, Java 17 runs it) loads the spec and runs its contract tests against the
// mock, given the spec's own examples: each operation's parameter and body examples become
// one Specmatic example file. The mock runs with limits Specmatic does not know about
// raised (it knows nothing of plans), and the well-known admin test key in the
// environment variables Specmatic reads for each security scheme. Outside `npm test`: it
// takes a JVM and half a minute. Prints Specmatic's counts; exit code 1 if any test failed.
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const { cpSync, mkdirSync, mkdtempSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const root = join(__dirname, '..');
const { loadPublicSpec, deref } = require(join(root, 'dist', 'lib', 'openapi', 'load-spec.js'));
const ADMIN = 'sk_test_admin_000000000000000000000004';

/** Reads before changes, creates before updates, rotations and cancels, deletes last. */
const rank = (op) => (op.method === 'get' ? 0 : op.method === 'post' && !/\{/.test(op.path) ? 1 : op.method === 'patch' ? 2 : op.method === 'post' ? 3 : 4);

function examples(spec) {
  return [...spec.operations].sort((a, b) => rank(a) - rank(b)).map((op, i) => {
    const raw = spec.document.paths[op.path][op.method];
    const values = { path: {}, query: {}, header: {} };
    for (const p of raw.parameters ?? []) {
      const param = deref(spec.document, p, '#').value;
      if (param.example !== undefined) values[param.in][param.name] = String(param.example);
    }
    const path = op.path.replace(/\{([^}]+)\}/g, (_m, name) => values.path[name]);
    const body = raw.requestBody?.content['application/json'].example;
    const request = { method: op.method.toUpperCase(), path, ...(Object.keys(values.query).length ? { query: values.query } : {}), headers: { Authorization: `Bearer ${ADMIN}`, ...values.header, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) }, ...(body !== undefined ? { body } : {}) };
    const response = op.responses[String(op.successStatus)];
    return [`${String(i).padStart(2, '0')}_${op.operationId}.json`, { 'http-request': request, 'http-response': { status: op.successStatus, ...(response.example !== undefined ? { body: response.example } : {}) } }];
  });
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'peer-specmatic-'));
  cpSync(join(root, 'openapi', 'cortex-edr.yaml'), join(dir, 'cortex-edr.yaml'));
  mkdirSync(join(dir, 'cortex-edr_examples'));
  for (const [name, example] of examples(loadPublicSpec())) writeFileSync(join(dir, 'cortex-edr_examples', name), JSON.stringify(example, null, 2));
  writeFileSync(join(dir, 'mock.yaml'), 'plans:\n  developer: { requests_per_window: 1000000 }\nauth_failure_limit: false\n');
  const mock = spawn(process.execPath, [join(root, 'dist', 'mock', 'cli.js'), '--port', '0', '--log-level', 'silent', '--config', join(dir, 'mock.yaml')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const baseUrl = await new Promise((resolve, reject) => {
    let out = '';
    mock.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+\/v1)/.exec(out);
      if (m) resolve(m[1]);
    });
    mock.once('exit', (code) => reject(new Error(`the mock exited with ${code}`)));
  });
  try {
    const jar = join(root, 'node_modules', 'specmatic', 'specmatic.jar');
    const run = spawnSync('java', ['-jar', jar, 'test', join(dir, 'cortex-edr.yaml'), '--testBaseURL', baseUrl, '--examples', join(dir, 'cortex-edr_examples')], {
      cwd: dir,
      encoding: 'utf8',
      // --generative adds Specmatic's generated negative ("resiliency") tests.
      env: { ...process.env, bearerAuth: ADMIN, apiKeyQuery: ADMIN, ...(process.argv.includes('--generative') ? { SPECMATIC_GENERATIVE_TESTS: 'true' } : {}) },
      maxBuffer: 256 * 1024 * 1024,
    });
    const output = `${run.stdout}${run.stderr}`;
    writeFileSync(join(dir, 'specmatic.log'), output);
    const counts = /Tests run: (\d+), Successes: (\d+), Failures: (\d+)/.exec(output);
    const failed = [...output.matchAll(/^Scenario: (.*?) has FAILED/gm)].map((m) => m[1].replace(/ with a request.*/, ''));
    process.stdout.write(`${counts ? counts[0] : 'Specmatic printed no counts'}\nlog: ${join(dir, 'specmatic.log')}\n`);
    if (failed.length) process.stdout.write(`failed:\n${[...new Set(failed)].map((f) => `  ${f}`).join('\n')}\n`);
    process.exitCode = counts && counts[3] === '0' ? 0 : 1;
  } finally {
    mock.kill('SIGTERM');
  }
}

main().catch((err) => {
  process.stderr.write(`peer:specmatic: ${err.message}\n`);
  process.exit(1);
});
