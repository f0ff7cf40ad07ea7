// The official Genesys Cloud JavaScript SDK (purecloud-platform-client-v2, unmodified) as its users
// write a batch, for bench/budget: one login (client credentials), then per number launch the
// lookup workflow and poll it every POLL_FIXED_MS (default 1000) until it ends; CONCURRENCY
// (default 16) lookups in flight, no pacing. The SDK has no retry of its own (its ApiClient has
// no retry setting; a 429 rejects the call's promise), so a 429 ends that lookup with an error,
// which is what its users get by default. One JSON line per number, in input order, written as
// soon as it can be.
//
//   SIM_URL=http://127.0.0.1:PORT CLIENT_ID=.. CLIENT_SECRET=.. FLOW_ID=.. \
//   CONCURRENCY=16 POLL_FIXED_MS=1000 node budget_lookup.js < numbers.txt > results.jsonl
'use strict';
const fs = require('fs');
const platformClient = require('purecloud-platform-client-v2');

const url = new URL(process.env.SIM_URL);
const concurrency = Math.max(1, Number(process.env.CONCURRENCY || 16));
const pollMs = Number(process.env.POLL_FIXED_MS || 1000);
const deadlineMs = 30000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function lookup(architect, phone, n) {
  const started = Date.now();
  const launched = await architect.postFlowsExecutions({
    flowId: process.env.FLOW_ID,
    name: `js-sdk-budget-${process.pid}-${n}`,
    inputData: { 'Flow.PhoneNumber': phone },
  });
  for (;;) {
    await sleep(pollMs);
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
  }
}

async function main() {
  const phones = fs.readFileSync(0, 'utf8').split('\n').map((s) => s.trim()).filter((s) => s && s[0] !== '#');
  const client = new platformClient.ApiClient.constructor();
  client.setGateway({ host: url.hostname, protocol: url.protocol.replace(':', ''), port: Number(url.port) });
  await client.loginClientCredentialsGrant(process.env.CLIENT_ID, process.env.CLIENT_SECRET);
  const architect = new platformClient.ArchitectApi(client);

  const results = new Array(phones.length);
  let next = 0;
  let printed = 0;
  const flush = () => {
    const out = [];
    while (printed < results.length && results[printed] !== undefined) out.push(JSON.stringify(results[printed++]));
    if (out.length) fs.writeSync(1, out.join('\n') + '\n');  // at once, not queued
  };
  async function worker() {
    for (;;) {
      const i = next++;
      if (i >= phones.length) return;
      try {
        results[i] = await lookup(architect, phones[i], i);
      } catch (e) {
        const body = e && (e.body || e);
        results[i] = { phone: phones[i], status: 'error', error: { httpStatus: e && e.status, message: String(body && (body.message || e)) } };
      }
      flush();
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, phones.length) }, worker));
  flush();
  process.exitCode = results.some((r) => r.status === 'error') ? 4 : 0;
}

main().catch((e) => {
  console.error(`budget_lookup.js: ${e && (e.message || JSON.stringify(e))}`);
  process.exitCode = 4;
});
