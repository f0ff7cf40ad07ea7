// The official Genesys Cloud JavaScript SDK (purecloud-platform-client-v2, unmodified) doing what
// `gcx-lookup --json` does, for bench/run: one login (client credentials) for the whole batch, then
// per number: launch the lookup workflow, poll the execution until it ends, print one JSON line.
//
//   SIM_URL=http://127.0.0.1:PORT CLIENT_ID=.. CLIENT_SECRET=.. FLOW_ID=.. \
//   CONCURRENCY=16 POLL_INITIAL_MS=200 node lookup.js < numbers.txt > results.jsonl
//
// The poll schedule is gcx's default (poll_policy): first poll POLL_INITIAL_MS after the launch,
// then 1.5 times longer each time, at most 2 s; 30 s deadline per lookup. CONCURRENCY lookups are
// in flight at once (async, one thread), like `gcx-lookup --concurrency N`. The batch and the
// lookup are common.js's (shared with budget_lookup.js).
'use strict';
const common = require('./common');

const concurrency = Math.max(1, Number(process.env.CONCURRENCY || 1));
const pollInitial = Number(process.env.POLL_INITIAL_MS || 200);
const pollMax = 2000;

common.main('lookup.js', concurrency,
  (architect, phone, n) => common.lookup(architect, phone, `js-sdk-bench-${process.pid}-${n}`,
    pollInitial, (delay) => Math.min(delay * 1.5, pollMax)),
  (text) => process.stdout.write(text));
