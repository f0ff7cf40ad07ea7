// The official Genesys Cloud JavaScript SDK (purecloud-platform-client-v2, unmodified) doing what
// `gcx-lookup --json` does, for bench/run: one login (client credentials) for the whole batch, then
// per number: launch the lookup workflow, poll the execution until it ends, print one JSON line.
//
//   SIM_URL=http://127.0.0.1:PORT CLIENT_ID=.. CLIENT_SECRET=.. FLOW_ID=.. \
//   CONCURRENCY=16 POLL_INITIAL_MS=200 node lookup.js < numbers.txt > results.jsonl
//
// The poll schedule is gcx's default (poll_policy): first poll POLL_INITIAL_MS after the launch,
// then 1.5 times longer each time, at most 2 s; 30 s deadline per lookup. CONCURRENCY lookups are
// in flight at once (async, one thread), like `gcx-lookup --concurrency N`.
'use strict';
const fs = require('fs');
const platformClient = require('purecloud-platform-client-v2');

const url = new URL(process.env.SIM_URL);
const concurrency = Math.max(1, Number(process.env.CONCURRENCY || 1));
const pollInitial = Number(process.env.POLL_INITIAL_MS || 200);
const pollMax = 2000;
const deadlineMs = 30000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function lookup(architect, phone, n) {
  const started = Date.now();
  const launched = await architect.postFlowsExecutions({
    flowId: process.env.FLOW_ID,
    name: `js-sdk-bench-${process.pid}-${n}`,
    inputData: { 'Flow.PhoneNumber': phone },
  });
  let delay = pollInitial;
  for (;;) {
    await sleep(delay);
    const exec = await architect.getFlowsExecution(launched.id);
    if (exec.status === 'COMPLETED') {
      const outputs = {};
      for (const [k, v] of Object.entries(exec.outputData || {})) outputs[k.replace(/^Flow\./, '')] = v;
      return { phone, status: outputs.Found === true ? 'found' : 'not_found', executionId: launched.id, outputs };
    }
    if (exec.status === 'FAILED' || exec.status === 'ERROR' || exec.status === 'TERMINATED') {
      return { phone, status: 'error', executionId: launched.id, error: { kind: 'flow_failed', message: exec.status } };
    }
    if (Date.now() - started > deadlineMs) {
      return { phone, status: 'error', executionId: launched.id, error: { kind: 'timeout' } };
    }
    delay = Math.min(delay * 1.5, pollMax);
  }
}

async function main() {
  const phones = fs.readFileSync(0, 'utf8').split('\n').map((s) => s.trim()).filter((s) => s && s[0] !== '#');
  // A fresh ApiClient (the default export is a process-wide singleton), pointed at the simulator.
  const client = new platformClient.ApiClient.constructor();
  client.setGateway({ host: url.hostname, protocol: url.protocol.replace(':', ''), port: Number(url.port) });
  await client.loginClientCredentialsGrant(process.env.CLIENT_ID, process.env.CLIENT_SECRET);
  const architect = new platformClient.ArchitectApi(client);

  const results = new Array(phones.length);
  let next = 0;
  let printed = 0;
  const out = [];
  const flush = () => {  // print in input order, like gcx-lookup
    while (printed < results.length && results[printed] !== undefined) out.push(JSON.stringify(results[printed++]));
    if (out.length) { process.stdout.write(out.join('\n') + '\n'); out.length = 0; }
  };
  async function worker() {
    for (;;) {
      const i = next++;
      if (i >= phones.length) return;
      try {
        results[i] = await lookup(architect, phones[i], i);
      } catch (e) {
        const body = e && (e.body || e);  // without returnExtended the SDK rejects with the ErrorBody itself
        results[i] = { phone: phones[i], status: 'error', error: { httpStatus: e && e.status, message: String(body && (body.message || e)) } };
      }
      flush();
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, phones.length) }, worker));
  flush();
  const bad = results.filter((r) => r.status === 'error').length;
  process.exitCode = bad ? 4 : 0;
}

main().catch((e) => {
  console.error(`lookup.js: ${e && (e.message || JSON.stringify(e))}`);
  process.exitCode = 4;
});
