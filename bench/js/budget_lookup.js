// The official Genesys Cloud JavaScript SDK (purecloud-platform-client-v2, unmodified) as its users
// write a batch, for bench/budget: one login (client credentials), then per number launch the
// lookup workflow and poll it every POLL_FIXED_MS (default 1000) until it ends; CONCURRENCY
// (default 16) lookups in flight, no pacing. The SDK has no retry of its own (its ApiClient has
// no retry setting; a 429 rejects the call's promise), so a 429 ends that lookup with an error,
// which is what its users get by default. One JSON line per number, in input order, written as
// soon as it can be. The batch and the lookup are common.js's (shared with lookup.js).
//
//   SIM_URL=http://127.0.0.1:PORT CLIENT_ID=.. CLIENT_SECRET=.. FLOW_ID=.. \
//   CONCURRENCY=16 POLL_FIXED_MS=1000 node budget_lookup.js < numbers.txt > results.jsonl
'use strict';
const fs = require('fs');
const common = require('./common');

const concurrency = Math.max(1, Number(process.env.CONCURRENCY || 16));
const pollMs = Number(process.env.POLL_FIXED_MS || 1000);

common.main('budget_lookup.js', concurrency,
  (architect, phone, n) => common.lookup(architect, phone, `js-sdk-budget-${process.pid}-${n}`, pollMs, () => pollMs),
  (text) => fs.writeSync(1, text));  // at once, not queued
