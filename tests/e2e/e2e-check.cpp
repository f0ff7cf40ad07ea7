// gcx-lookup --check against gcx-sim, both as separate processes: one case per line of the
// tutorial's "Common Errors & Debugging" list (wrong credentials, missing permission, flow not
// found or not published, timeouts, empty output), and the all-ok case. The check never launches.
#include "sim_process.hpp"

#include <gcx/adapters/curl.hpp>
#include <gcx/client.hpp>
#include <gcx/json/boost_json.hpp>
#include <gcx/models.hpp>
#include <gcx_sim/simulator.hpp>

#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <unistd.h>

using e2e::run;
using e2e::sim_process;

namespace {

e2e::run_result check(const std::map<std::string, std::string>& env, std::vector<std::string> extra = {}) {
    std::vector<std::string> a{GCX_LOOKUP_BIN, "--check", "--quiet"};
    a.insert(a.end(), extra.begin(), extra.end());
    return run(a, env);
}

/// The --json report's checks by name.
std::map<std::string, boost::json::object> checks_of(const std::string& out) {
    std::map<std::string, boost::json::object> m;
    const auto v = boost::json::parse(out);
    REQUIRE(v.as_object().size() == 1);
    for (const auto& c : v.at("checks").as_array()) {
        const auto& o = c.as_object();
        REQUIRE(o.size() == 4);
        const std::string st(o.at("status").as_string());
        CHECK((st == "ok" || st == "warn" || st == "fail" || st == "skipped"));
        m.emplace(std::string(o.at("name").as_string()), o);
    }
    return m;
}

std::string field(const std::map<std::string, boost::json::object>& m, const std::string& name, const char* key) {
    auto it = m.find(name);
    if (it == m.end()) FAIL("no check " << name);
    return std::string(it->second.at(key).as_string());
}

bool has(const std::string& text, const std::string& what) { return text.find(what) != std::string::npos; }

/// A struct written for the lookup flow, checked against the renamed-outputs flow.
struct written_for_lookup {
    bool Found;  // the flow outputs Flow.CustomerFound instead
    std::optional<std::int64_t> Matches;
    std::string Contact;  // the flow outputs an object
};
BOOST_DESCRIBE_STRUCT(written_for_lookup, (), (Found, Matches, Contact))

using sim_client = gcx::basic_client<gcx::adapters::curl_transport, gcx::json::boost_json>;

sim_client client_for(const gcx_sim::simulator& sim, const std::string& flow_id) {
    gcx::client_config c;
    c.endpoints = *gcx::endpoints::from_urls(sim.base_url());
    c.client_id = sim.demo().client_id;
    c.client_secret = gcx::secret(sim.demo().client_secret);
    c.flow_id = flow_id;
    auto cl = sim_client::create(c);
    REQUIRE(cl);
    return std::move(*cl);
}

}  // namespace

TEST_CASE("e2e-check: all ok against the lookup flow, nothing launched") {
    sim_process sim;
    auto r = check(sim.env());
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK(has(r.out, "[ok     ] credentials: a token was obtained for OAuth client 'gcx-sim Customer Lookup'"));
    CHECK(has(r.out, "[ok     ] flow: flow 'Customer Lookup' (workflow), published version 3.0"));
    CHECK(has(r.out, "[ok     ] input Flow.PhoneNumber"));
    CHECK(has(r.out, "[ok     ] output Found"));
    CHECK(has(r.out, "[ok     ] permission architect:flowExecution:view"));
    CHECK(has(r.out, "[ok     ] limits: client.credentials.token.rate.per.minute = 300"));
    CHECK(has(r.out, "[ok     ] network: transport curl; plain http (no TLS); no proxy; one round trip"));
    CHECK(has(r.out, "0 failed"));
    CHECK_FALSE(has(r.out, sim.demo.at("client_secret")));

    auto j = check(sim.env(), {"--json"});
    INFO(j.out << j.err);
    CHECK(j.exit_code == 0);
    const auto m = checks_of(j.out);
    for (const auto& [name, c] : m) CHECK((c.at("status") != "fail" && c.at("status") != "warn"));
    CHECK(field(m, "permission architect:flow:launch", "status") == "skipped");
    CHECK(sim.stat("launches") == 0);
}

TEST_CASE("e2e-check: wrong credentials fail with the OAuth error and exit 3") {
    sim_process sim;
    auto env = sim.env();
    env["GENESYS_CLIENT_SECRET"] = "not-the-secret-at-all";
    auto r = check(env, {"--json"});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 3);
    const auto m = checks_of(r.out);
    CHECK(field(m, "credentials", "status") == "fail");
    CHECK(has(field(m, "credentials", "message"), "invalid_client"));
    CHECK(has(field(m, "credentials", "hint"), "GENESYS_CLIENT_SECRET"));
    CHECK(field(m, "flow", "status") == "skipped");
    CHECK_FALSE(has(r.out, "not-the-secret-at-all"));
}

TEST_CASE("e2e-check: a missing permission the lookups need fails and exits 3") {
    sim_process sim;
    auto env = sim.env();
    env["GENESYS_CLIENT_ID"] = sim.demo.at("launch_only_client_id");
    env["GENESYS_CLIENT_SECRET"] = sim.demo.at("launch_only_client_secret");
    auto r = check(env);
    INFO(r.out << r.err);
    CHECK(r.exit_code == 3);
    CHECK(has(r.out, "[fail   ] permission architect:flowExecution:view: missing"));
    CHECK(has(r.out, "-> give the OAuth client a role with architect:flowExecution:view"));
    CHECK(has(r.out, "[skipped] flow: needs architect:flow:view"));
}

TEST_CASE("e2e-check: without architect:flow:view the flow checks are skipped and the exit is 0") {
    sim_process sim;
    auto env = sim.env();
    env["GENESYS_CLIENT_ID"] = sim.demo.at("no_flow_view_client_id");
    env["GENESYS_CLIENT_SECRET"] = sim.demo.at("no_flow_view_client_secret");
    auto r = check(env, {"--json"});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    const auto m = checks_of(r.out);
    for (const char* n : {"flow", "input Flow.PhoneNumber", "output Found", "permission architect:flow:view"}) {
        CHECK(field(m, n, "status") == "skipped");
        CHECK(has(field(m, n, "message") + field(m, n, "hint"), "architect:flow:view"));
    }
    CHECK(field(m, "permission architect:flowExecution:view", "status") == "ok");
}

TEST_CASE("e2e-check: a flow that is not found fails with a hint on TARGET_FLOW_ID and exits 2") {
    sim_process sim;
    auto env = sim.env();
    env["TARGET_FLOW_ID"] = "0f0e0d0c-0b0a-4908-8706-050403020100";
    auto r = check(env);
    INFO(r.out << r.err);
    CHECK(r.exit_code == 2);
    CHECK(has(r.out, "[fail   ] flow: no flow with id 0f0e0d0c-0b0a-4908-8706-050403020100"));
    CHECK(has(r.out, "-> check TARGET_FLOW_ID"));
}

TEST_CASE("e2e-check: a flow that is not published fails with a hint to publish it and exits 2, as a batch would") {
    sim_process sim;
    auto env = sim.env();
    env["TARGET_FLOW_ID"] = sim.demo.at("unpublished_flow_id");
    auto r = check(env);
    INFO(r.out << r.err);
    CHECK(r.exit_code == 2);  // configuration (before: 4, where a batch's launch of it exits 2)
    CHECK(has(r.out, "[fail   ] flow: flow 'Customer Lookup (Draft)' has never been published"));
    CHECK(has(r.out, "-> publish the flow in Architect"));
    CHECK(sim.stat("launches") == 0);
}

TEST_CASE("e2e-check: an inbound call flow cannot be launched through the API") {
    sim_process sim;
    auto env = sim.env();
    env["TARGET_FLOW_ID"] = sim.demo.at("inboundcall_flow_id");
    auto r = check(env);
    INFO(r.out << r.err);
    CHECK(r.exit_code == 2);
    CHECK(
        has(r.out,
            "[fail   ] flow: flow 'Main IVR' is of type inboundcall: only a workflow can be launched through the API"));
    CHECK(has(r.out, "-> create a Workflow flow"));
}

TEST_CASE("e2e-check: a timeout fails the network check with a hint and exits 4") {
    sim_process sim({"--faults", "slow=1,slow_ms=4000,on=token"});
    auto r = check(sim.env(), {"--timeout", "1"});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 4);
    CHECK(has(r.out, "[skipped] credentials: no token: the login URL did not answer (see network)"));
    CHECK(has(r.out, "[fail   ] network:"));
    CHECK(has(r.out, "timeout"));
}

TEST_CASE("e2e-check: a flow that outputs nothing warns that every lookup is empty") {
    sim_process sim;
    auto env = sim.env();
    env["TARGET_FLOW_ID"] = sim.demo.at("no_outputs_flow_id");
    auto r = check(env);
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK(has(r.out, "[warn   ] outputs: the flow declares no output variables: every lookup returns empty outputs"));
    CHECK(has(r.out, "-> in Architect, mark the variables the lookup sets 'Output from flow'"));
    CHECK(has(r.out, "[warn   ] output Found"));
}

TEST_CASE("e2e-check: a flow that names its outputs differently: what gcx-lookup will do instead") {
    sim_process sim;
    auto env = sim.env();
    env["TARGET_FLOW_ID"] = sim.demo.at("renamed_flow_id");
    auto r = check(env, {"--json"});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    const auto m = checks_of(r.out);
    CHECK(field(m, "output Found", "status") == "warn");
    CHECK(has(field(m, "output Found", "message"), "Flow.Found"));
    CHECK(has(field(m, "output Found", "hint"), "gcx-lookup will count a lookup as found when any output is not null"));
    CHECK(field(m, "output externalContact", "status") == "warn");
    CHECK(has(field(m, "output externalContact", "hint"), "gcx-lookup will print no name"));
    CHECK(has(field(m, "outputs not read", "message"), "Flow.CustomerFound"));
}

TEST_CASE("e2e-check: with no org configured --check is a usage error, not a pass from the built-in simulator") {
    auto r = check({});
    CHECK(r.exit_code == 2);
    CHECK(has(r.err, "none is configured"));
    CHECK(r.out.empty());
    auto sim = check({}, {"--simulator"});  // asked for: the built-in simulator is checked
    INFO(sim.out << sim.err);
    CHECK(sim.exit_code == 0);
    CHECK(has(sim.out, "credentials"));
}

TEST_CASE("e2e-check: --check with a phone number is a usage error") {
    sim_process sim;
    auto r = run({GCX_LOOKUP_BIN, "--check", "+13175550123"}, sim.env());
    CHECK(r.exit_code == 2);
    CHECK(has(r.err, "--check looks nothing up"));
}

TEST_CASE("e2e-check: client.check<T>() names the member, the variable and both types against gcx-sim") {
    gcx_sim::simulator sim{gcx_sim::options{}};
    REQUIRE(sim.start());
    auto cl = client_for(sim, sim.demo().renamed_flow_id);
    const gcx::check_report r = cl.check<written_for_lookup>();
    INFO(r.to_text());
    const auto* found = r.find("output Found");
    REQUIRE(found);
    CHECK(found->status == gcx::check_status::fail);  // required, and not an output of the flow
    CHECK(has(found->message, "member Found from Flow.Found, which the flow does not output"));
    const auto* matches = r.find("output Matches");
    REQUIRE(matches);
    CHECK(matches->status == gcx::check_status::ok);
    const auto* contact = r.find("output Contact");
    REQUIRE(contact);
    CHECK(contact->status == gcx::check_status::fail);
    CHECK(has(contact->message, "member Contact reads Flow.Contact: the flow outputs object, the member needs string"));
    CHECK(has(r.find("outputs not read")->message, "Flow.CustomerFound"));
    CHECK(r.failed());

    // The same struct the library ships for the lookup flow: all ok there.
    auto ok = client_for(sim, sim.demo().lookup_flow_id);
    const gcx::check_report all = ok.check<gcx::customer_lookup>();
    INFO(all.to_text());
    CHECK_FALSE(all.failed());
    CHECK(all.find("output externalContact")->status == gcx::check_status::ok);
    CHECK(sim.snapshot().launch_requests == 0);
}

TEST_CASE("e2e-check: the network line names the proxy without its password, and a dead proxy fails it") {
    sim_process sim;
    auto r = check(sim.env(), {"--proxy", "http://alice:pr0xyPassw0rd@127.0.0.1:9", "--timeout", "2"});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 4);
    CHECK(has(r.out, "[fail   ] network: transport curl; plain http (no TLS); proxy http://127.0.0.1:9 (--proxy)"));
    CHECK_FALSE(has(r.out + r.err, "pr0xyPassw0rd"));
    CHECK_FALSE(has(r.out + r.err, "alice"));
    // A password with an '@' of its own (not percent-encoded): none of it is shown.
    auto at = check(sim.env(), {"--proxy", "http://alice:pr0xy@Passw0rd@127.0.0.1:9", "--timeout", "2"});
    CHECK(has(at.out, "proxy http://127.0.0.1:9 (--proxy)"));
    CHECK_FALSE(has(at.out + at.err, "Passw0rd"));
}

namespace {
/// What a program reads from gcx-sim's lookup action, with one key misspelt and one of the wrong type.
struct read_from_action {
    bool found;
    std::optional<std::string> firstName;
    std::optional<std::string> surname;  // the action outputs lastName
    bool tier;                           // the action outputs a string
};
BOOST_DESCRIBE_STRUCT(read_from_action, (), (found, firstName, surname, tier))
}  // namespace

TEST_CASE("e2e-check: the data-action strategies check the action and its contract, never executing it") {
    sim_process sim;
    auto env = sim.env();
    env["GCX_ACTION_ID"] = sim.demo.at("lookup_action_id");
    auto r = check(env, {"--json", "--strategy", "data-action"});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    auto m = checks_of(r.out);
    CHECK(field(m, "data action", "status") == "ok");
    CHECK(has(field(m, "data action", "message"), "Lookup Contact By Phone"));
    CHECK(field(m, "action input phoneNumber", "status") == "ok");
    CHECK(field(m, "action output found", "status") == "ok");
    CHECK(field(m, "permission integrations:action:execute", "status") == "skipped");
    CHECK(m.count("flow") == 0);  // the pure data-action strategy launches no flow
    CHECK(sim.stat("action_requests") == 0);

    // An action id the org does not have: a configuration failure, exit 2.
    env["GCX_ACTION_ID"] = "custom_-_00000000-0000-4000-8000-000000000000";
    auto missing = check(env, {"--json", "--strategy", "data-action-then-flow"});
    INFO(missing.out << missing.err);
    CHECK(missing.exit_code == 2);
    auto mm = checks_of(missing.out);
    CHECK(field(mm, "data action", "status") == "fail");
    CHECK(has(field(mm, "data action", "hint"), "GCX_ACTION_ID"));
    CHECK(field(mm, "flow", "status") == "ok");  // the chain's flow is checked too

    // A wrong input key fails, naming the action's inputs.
    env["GCX_ACTION_ID"] = sim.demo.at("lookup_action_id");
    auto key = check(env, {"--json", "--strategy", "data-action", "--action-input-key", "msisdn"});
    CHECK(key.exit_code == 2);
    CHECK(has(field(checks_of(key.out), "action input msisdn", "message"), "phoneNumber"));

    // The simulator's action allows its remote 10 s: waiting 5 s for an answer is too little.
    auto short_wait = check(env, {"--json", "--strategy", "data-action", "--request-timeout", "5"});
    INFO(short_wait.out << short_wait.err);
    CHECK(field(checks_of(short_wait.out), "data action timeout", "status") == "warn");
    CHECK(has(field(checks_of(short_wait.out), "data action timeout", "hint"), "--request-timeout"));
    auto enough = check(env, {"--json", "--strategy", "data-action"});  // 16 s by default
    CHECK(enough.out.find("data action timeout") == std::string::npos);
    CHECK(sim.stat("launches") == 0);
}

TEST_CASE("e2e-check: client.check<T>() with the data-action strategy names the member, the key and both types") {
    gcx_sim::simulator sim{gcx_sim::options{}};
    REQUIRE(sim.start());
    gcx::client_config c;
    c.endpoints = *gcx::endpoints::from_urls(sim.base_url());
    c.client_id = sim.demo().client_id;
    c.client_secret = gcx::secret(sim.demo().client_secret);
    c.strategy = gcx::lookup_strategy::data_action;
    c.action.action_id = sim.demo().lookup_action_id;
    auto cl = sim_client::create(c);
    REQUIRE(cl);
    const gcx::check_report r = cl->check<read_from_action>();
    INFO(r.to_text());
    CHECK(r.find("action output found")->status == gcx::check_status::ok);
    CHECK(r.find("action output firstName")->status == gcx::check_status::ok);
    const auto* surname = r.find("action output surname");
    REQUIRE(surname);
    CHECK(surname->status == gcx::check_status::warn);  // optional: always empty
    CHECK(has(surname->message, "member surname from surname, which the action does not output"));
    const auto* tier = r.find("action output tier");
    REQUIRE(tier);
    CHECK(tier->status == gcx::check_status::fail);
    CHECK(has(tier->message, "member tier reads tier: the action outputs string, the member needs boolean"));
    CHECK(has(r.find("action outputs not read")->message, "lastName"));
    CHECK(r.failed());
    CHECK(sim.snapshot().launch_requests == 0);
}

namespace {
/// A credentials file (mode 600, as mkstemp makes it) removed at scope exit.
struct credentials_file {
    std::string path;
    explicit credentials_file(const std::string& text) {
        char tmpl[] = "/tmp/gcx-e2e-check-creds-XXXXXX";
        const int fd = ::mkstemp(tmpl);
        if (fd >= 0) ::close(fd);
        path = tmpl;
        std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
    }
    ~credentials_file() { std::remove(path.c_str()); }
};
}  // namespace

TEST_CASE("e2e: a batch whose --credentials-file holds a refused credential answers every number with the others") {
    sim_process sim({"--rate-limit", "0", "--run-time", "fixed", "--run-ms", "50"});
    // A rotated secret among working ones: lookups given it move to a working credential.
    credentials_file f("badclient-id WRONGSECRET-value\n" + sim.demo.at("second_client_id") + " " +
                       sim.demo.at("second_client_secret") + "\n");
    std::string numbers;
    for (int i = 1; i <= 60; ++i) numbers += "+1317555" + std::string(i < 10 ? "000" : "00") + std::to_string(i) + "\n";
    auto r = run({GCX_LOOKUP_BIN, "--json", "--rate", "60000", "--concurrency", "32", "--credentials-file", f.path},
                 sim.env(), numbers);
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 60);
    CHECK(r.out.find("\"status\":\"error\"") == std::string::npos);
    CHECK((r.out + r.err).find("WRONGSECRET") == std::string::npos);
    // The summary's budget counts the two credentials that worked, not the refused one.
    CHECK(r.err.find("over 2 credentials") != std::string::npos);
}

TEST_CASE("e2e: a --credentials-file that lists GENESYS_CLIENT_ID's client counts it once, a repeated one is refused") {
    sim_process sim({"--rate-limit", "0", "--run-time", "fixed", "--run-ms", "50"});
    const std::string main_line = sim.demo.at("client_id") + " " + sim.demo.at("client_secret") + "\n";
    const std::string second_line = sim.demo.at("second_client_id") + " " + sim.demo.at("second_client_secret") + "\n";
    {
        credentials_file f(main_line + second_line);  // every client of the org in one file
        auto r =
            run({GCX_LOOKUP_BIN, "--json", "--credentials-file", f.path}, sim.env(), "+13175550001\n+13175550002\n");
        INFO(r.err);
        CHECK(r.exit_code == 0);
        CHECK(r.err.find("over 2 credentials") != std::string::npos);
    }
    {
        credentials_file f(second_line + "# rotated\n" + second_line);
        auto r = run({GCX_LOOKUP_BIN, "--json", "--credentials-file", f.path, "+13175550001"}, sim.env());
        CHECK(r.exit_code == 2);
        CHECK(r.err.find("--credentials-file line 3 repeats the client id of line 1") != std::string::npos);
        CHECK(r.err.find(sim.demo.at("second_client_secret")) == std::string::npos);
    }
    {
        credentials_file f(sim.demo.at("client_id") + " another-secret-for-it\n" + second_line);
        auto r = run({GCX_LOOKUP_BIN, "--json", "--credentials-file", f.path, "+13175550001"}, sim.env());
        CHECK(r.exit_code == 2);
        CHECK(r.err.find("line 1: GENESYS_CLIENT_ID's client id with another secret") != std::string::npos);
        CHECK(r.err.find("another-secret-for-it") == std::string::npos);
    }
    CHECK(sim.stat("launches") == 2);  // the first run's two
}

TEST_CASE("e2e: a batch over two credentials, one limited for hours, answers every number with the other") {
    std::string second;
    {
        sim_process probe;
        second = probe.demo.at("second_client_id");
    }
    // The second client's own limit (a daily one, say): every poll, or every token request, of it
    // answered 429 with two hours to wait. Its executions are polled with the first's token, and
    // no lookup waits for it or fails: the batch does not stop. (--rate 1200: the budget makes
    // launches wait a little, as the field's does; a first version of the moves looped for ever then.)
    for (const char* on : {"poll", "token"}) {
        INFO("429 on " << on);
        sim_process sim({"--rate-limit", "0", "--run-time", "fixed", "--run-ms", "50", "--faults",
                         std::string("429=1,retry_after=7200,on=") + on + ",client=" + second});
        credentials_file f(second + " " + sim.demo.at("second_client_secret") + "\n");
        std::string numbers;
        for (int i = 1; i <= 40; ++i)
            numbers += "+1317555" + std::string(i < 10 ? "000" : "00") + std::to_string(i) + "\n";
        auto r = run({GCX_LOOKUP_BIN, "--json", "--rate", "1200", "--concurrency", "8", "--credentials-file", f.path},
                     sim.env(), numbers);
        INFO(r.err);
        CHECK(r.exit_code == 0);
        CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 40);
        CHECK(r.out.find("\"status\":\"error\"") == std::string::npos);
        CHECK(sim.stat("answered_429") >= 1);
        // The summary's ideal time counts the credential that worked, not the one paused for hours.
        CHECK(r.err.find("over 1 credential (others paused for long)") != std::string::npos);
    }
}

TEST_CASE("e2e-check: every credential of --credentials-file is checked, and a refused one exits 3") {
    sim_process sim;
    const std::string first = sim.demo.at("client_id");
    const std::string second = sim.demo.at("second_client_id");
    {
        // Saved by an editor with a byte-order mark: the first client id does not start with it.
        credentials_file f("\xEF\xBB\xBF" + second + " " + sim.demo.at("second_client_secret") + "\n");
        auto r = check(sim.env(), {"--json", "--credentials-file", f.path});
        INFO(r.out << r.err);
        CHECK(r.exit_code == 0);
        const auto m = checks_of(r.out);
        CHECK(field(m, "credentials " + first, "status") == "ok");
        CHECK(field(m, "credentials " + second, "status") == "ok");
        CHECK(has(field(m, "credentials " + first, "message"), "the checks below use it"));
        CHECK(field(m, "flow", "status") == "ok");
        CHECK(m.count("credentials") == 0);
        CHECK_FALSE(has(r.out, sim.demo.at("second_client_secret")));
    }
    {
        credentials_file f(second + " not-the-second-secret\n");
        auto r = check(sim.env(), {"--json", "--credentials-file", f.path});
        INFO(r.out << r.err);
        CHECK(r.exit_code == 3);
        const auto m = checks_of(r.out);
        CHECK(field(m, "credentials " + first, "status") == "ok");
        CHECK(field(m, "credentials " + second, "status") == "fail");
        CHECK(has(field(m, "credentials " + second, "message"), "invalid_client"));
        CHECK(has(field(m, "credentials " + second, "hint"), "--credentials-file"));
        CHECK(field(m, "flow", "status") == "ok");  // the first credential reads on
        CHECK_FALSE(has(r.out, "not-the-second-secret"));
        CHECK_FALSE(has(r.out, sim.demo.at("client_secret")));
    }
    CHECK(sim.stat("launches") == 0);
}
