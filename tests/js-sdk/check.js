// Drives gcx-sim with the official, unmodified Genesys Cloud JavaScript SDK
// (purecloud-platform-client-v2), pointed at the simulator through the SDK's gateway setting:
// login (client credentials), launch the lookup workflow, poll it, reverse-whitepages lookup,
// and the permission error. Shows the simulator answers a real client the way Genesys would.
//
//   SIM_URL=http://127.0.0.1:PORT CLIENT_ID=.. CLIENT_SECRET=.. FLOW_ID=.. \
//   NO_LAUNCH_CLIENT_ID=.. NO_LAUNCH_CLIENT_SECRET=.. node check.js
'use strict';
const platformClient = require('purecloud-platform-client-v2');

const url = new URL(process.env.SIM_URL);
const phone = process.env.FOUND_NUMBER || '+13175550123';
let passed = 0, failed = 0;

function check(name, ok, detail) {
  if (ok) { passed++; console.log(`ok   ${name}`); }
  else { failed++; console.log(`FAIL ${name}${detail ? ': ' + detail : ''}`); }
}

function client() {
  // A fresh ApiClient per identity (the SDK's default export is a singleton).
  const c = new platformClient.ApiClient.constructor();
  c.setGateway({ host: url.hostname, protocol: url.protocol.replace(':', ''), port: Number(url.port) });
  return c;
}

async function main() {
  const c = client();
  const auth = await c.loginClientCredentialsGrant(process.env.CLIENT_ID, process.env.CLIENT_SECRET);
  check('login: client credentials grant', typeof auth.accessToken === 'string' && auth.accessToken.length > 0);

  const architect = new platformClient.ArchitectApi(c);
  const launched = await architect.postFlowsExecutions({
    flowId: process.env.FLOW_ID, name: `js-sdk-check-${Date.now()}`, inputData: { 'Flow.PhoneNumber': phone },
  });
  check('launch: FlowExecutionLaunchResponse has an id', typeof launched.id === 'string' && launched.id.length > 0);

  let exec;
  for (let i = 0; i < 100; i++) {
    exec = await architect.getFlowsExecution(launched.id);
    if (exec.status !== 'RUNNING') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  check('poll: execution COMPLETED', exec.status === 'COMPLETED', exec.status);
  const out = exec.outputData || {};
  check('poll: outputData has Flow.Found = true', out['Flow.Found'] === true);
  check('poll: Flow.externalContact is the contact', out['Flow.externalContact'] && out['Flow.externalContact'].lastName === 'Schmidt');
  let profile = null;
  try { profile = JSON.parse(out['Flow.CustomerProfile']); } catch (e) { /* checked below */ }
  check('poll: Flow.CustomerProfile is a JSON-encoded object', profile && typeof profile === 'object');

  const contacts = new platformClient.ExternalContactsApi(c);
  const wp = await contacts.getExternalcontactsReversewhitepageslookup(phone, { expand: ['contacts.externalOrganization'] });
  check('reverse whitepages: one contact', Array.isArray(wp.contacts) && wp.contacts.length === 1, JSON.stringify(wp).slice(0, 200));

  const idl = await contacts.postExternalcontactsIdentifierlookupContacts({ type: 'Phone', value: phone });
  check('identifier lookup: the contact', idl && idl.firstName === 'Maria');

  const limited = client();
  await limited.loginClientCredentialsGrant(process.env.NO_LAUNCH_CLIENT_ID, process.env.NO_LAUNCH_CLIENT_SECRET);
  try {
    await new platformClient.ArchitectApi(limited).postFlowsExecutions({ flowId: process.env.FLOW_ID, inputData: { 'Flow.PhoneNumber': phone } });
    check('permission: 403 for a role without architect:flow:launch', false, 'no error');
  } catch (e) {
    const body = e.body || e;  // without returnExtended the SDK rejects with the ErrorBody itself
    check('permission: 403 for a role without architect:flow:launch',
      e.status === 403 && body.code === 'missing.any.permissions' && String(body.message).includes('architect:flow:launch'),
      `${e.status} ${JSON.stringify(body).slice(0, 200)}`);
  }

  try {
    await client().loginClientCredentialsGrant(process.env.CLIENT_ID, 'wrong-secret');
    check('login: wrong secret refused', false, 'no error');
  } catch (e) {
    check('login: wrong secret refused', e.status === 401 || e.status === 400, String(e.status));
  }
}

main().then(
  () => { console.log(`${passed} passed, ${failed} failed`); process.exit(failed ? 1 : 0); },
  (e) => { console.log(`FAIL unexpected error: ${e && (e.message || JSON.stringify(e)).slice(0, 300)}`); console.log(`${passed} passed, ${failed + 1} failed`); process.exit(1); });
