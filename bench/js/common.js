// What bench/js/lookup.js (bench/run) and bench/js/budget_lookup.js (bench/budget) share: the
// official Genesys Cloud JavaScript SDK (purecloud-platform-client-v2, unmodified) logged in to
// gcx-sim with client credentials, one lookup (launch the lookup workflow, poll the execution
// until it ends, 30 s deadline) and the batch (numbers from stdin, CONCURRENCY lookups in flight
// on one thread, one JSON line per number in input order, exit status 4 when any is an error).
// The two scripts differ in the poll schedule, the default concurrency and how a line is written.
// Copied next to them (BUILD/js) by bench/run and bench/budget.
'use strict';
const fs = require('fs');
const platformClient = require('purecloud-platform-client-v2');

const deadlineMs = 30000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Launches the workflow for `phone` (execution name `name`), waits firstDelayMs, polls, and waits
// nextDelay(previous delay) before each further poll. Resolves to the result line's object;
// rejects with the SDK's error when a request fails.
async function lookup(architect, phone, name, firstDelayMs, nextDelay) {
  const started = Date.now();
  const launched = await architect.postFlowsExecutions({
    flowId: process.env.FLOW_ID,
    name,
    inputData: { 'Flow.PhoneNumber': phone },
  });
  let delay = firstDelayMs;
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
    delay = nextDelay(delay);
  }
}

// The batch: SIM_URL, CLIENT_ID, CLIENT_SECRET from the environment; lookupOne(architect, phone, n)
// per number (n: its index), `concurrency` at once; write(text) prints a run of finished lines.
async function batch(concurrency, lookupOne, write) {
  const url = new URL(process.env.SIM_URL);
  const phones = fs.readFileSync(0, 'utf8').split('\n').map((s) => s.trim()).filter((s) => s && s[0] !== '#');
  // A fresh ApiClient (the default export is a process-wide singleton), pointed at the simulator.
  const client = new platformClient.ApiClient.constructor();
  client.setGateway({ host: url.hostname, protocol: url.protocol.replace(':', ''), port: Number(url.port) });
  await client.loginClientCredentialsGrant(process.env.CLIENT_ID, process.env.CLIENT_SECRET);
  const architect = new platformClient.ArchitectApi(client);

  const results = new Array(phones.length);
  let next = 0;
  let printed = 0;
  const flush = () => {  // print in input order, like gcx-lookup
    const out = [];
    while (printed < results.length && results[printed] !== undefined) out.push(JSON.stringify(results[printed++]));
    if (out.length) write(out.join('\n') + '\n');
  };
  async function worker() {
    for (;;) {
      const i = next++;
      if (i >= phones.length) return;
      try {
        results[i] = await lookupOne(architect, phones[i], i);
      } catch (e) {
        const body = e && (e.body || e);  // without returnExtended the SDK rejects with the ErrorBody itself
        results[i] = { phone: phones[i], status: 'error', error: { httpStatus: e && e.status, message: String(body && (body.message || e)) } };
      }
      flush();
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, phones.length) }, worker));
  flush();
  return results.some((r) => r.status === 'error') ? 4 : 0;
}

// Runs the batch as a script's main: sets the exit status, and on a failure outside a lookup
// (the login, stdin) says so on stderr prefixed with `script`, exit status 4.
function main(script, concurrency, lookupOne, write) {
  batch(concurrency, lookupOne, write).then((code) => { process.exitCode = code; }, (e) => {
    console.error(`${script}: ${e && (e.message || JSON.stringify(e))}`);
    process.exitCode = 4;
  });
}

module.exports = { lookup, main };
