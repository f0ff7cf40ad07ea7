#!/usr/bin/python3
"""The tutorial's Python approach, for bench/run: for every number, a new HTTP client (a
requests.Session) and a new OAuth token, then launch the lookup workflow and poll it. Sequential.

The tutorial's own endpoint (POST /api/v2/flows/execute with "attributes") does not exist; this
uses the real protocol (docs/genesys-api.md sections 1 and 2) so that it runs against gcx-sim, and
keeps the tutorial's structure: one login and one client per lookup.

    SIM_URL=http://127.0.0.1:PORT CLIENT_ID=.. CLIENT_SECRET=.. FLOW_ID=.. POLL_INITIAL_MS=200 \
    /usr/bin/python3 tutorial_lookup.py < numbers.txt > results.jsonl

Poll schedule as gcx's default: first poll POLL_INITIAL_MS after the launch, then 1.5 times
longer each time, at most 2 s; 30 s deadline per lookup. Uses Debian's python3-requests only.
"""
import json
import os
import sys
import time

import requests

API = os.environ["SIM_URL"].rstrip("/")
LOGIN = os.environ.get("LOGIN_URL", API).rstrip("/")
CLIENT_ID = os.environ["CLIENT_ID"]
CLIENT_SECRET = os.environ["CLIENT_SECRET"]
FLOW_ID = os.environ["FLOW_ID"]
POLL_INITIAL = float(os.environ.get("POLL_INITIAL_MS", "200")) / 1000.0
POLL_MAX = 2.0
DEADLINE = 30.0


def get_token(session):
    r = session.post(LOGIN + "/oauth/token", data={"grant_type": "client_credentials"},
                     auth=(CLIENT_ID, CLIENT_SECRET), timeout=16)
    r.raise_for_status()
    return r.json()["access_token"]


def lookup(phone, n):
    started = time.monotonic()
    with requests.Session() as session:  # the tutorial: a new client for every lookup
        token = get_token(session)         # ... and a new token for every lookup
        headers = {"Authorization": "Bearer " + token, "Accept": "application/json"}
        r = session.post(API + "/api/v2/flows/executions", headers=headers, timeout=16,
                         json={"flowId": FLOW_ID, "name": "tutorial-bench-%d-%d" % (os.getpid(), n),
                               "inputData": {"Flow.PhoneNumber": phone}})
        r.raise_for_status()
        execution_id = r.json()["id"]
        delay = POLL_INITIAL
        while True:
            time.sleep(delay)
            r = session.get(API + "/api/v2/flows/executions/" + execution_id, headers=headers, timeout=16)
            r.raise_for_status()
            execution = r.json()
            status = execution.get("status")
            if status == "COMPLETED":
                outputs = {k[5:] if k.startswith("Flow.") else k: v
                           for k, v in (execution.get("outputData") or {}).items()}
                return {"phone": phone, "status": "found" if outputs.get("Found") is True else "not_found",
                        "executionId": execution_id, "outputs": outputs}
            if status in ("FAILED", "ERROR", "TERMINATED"):
                return {"phone": phone, "status": "error", "executionId": execution_id,
                        "error": {"kind": "flow_failed", "message": status}}
            if time.monotonic() - started > DEADLINE:
                return {"phone": phone, "status": "error", "executionId": execution_id, "error": {"kind": "timeout"}}
            delay = min(delay * 1.5, POLL_MAX)


def read_numbers():
    """The numbers on stdin, one a line ('#' lines and blank ones skipped)."""
    return [line.strip() for line in sys.stdin if line.strip() and not line.startswith("#")]


def lookup_or_error(numbered):
    """lookup() for (n, phone); a failed HTTP request (raise_for_status, a timeout, ...) is that
    number's error line."""
    n, phone = numbered
    try:
        return lookup(phone, n)
    except requests.RequestException as e:
        return {"phone": phone, "status": "error", "error": {"message": str(e)}}


def print_results(results, flush_each):
    """Prints one JSON line per result (flushed line by line when flush_each, else at the end);
    the exit status: 4 when any is an error, else 0. Shared with tutorial_budget.py."""
    errors = 0
    for result in results:
        errors += result["status"] == "error"
        sys.stdout.write(json.dumps(result) + "\n")
        if flush_each:
            sys.stdout.flush()
    sys.stdout.flush()
    return 4 if errors else 0


def main():
    return print_results(map(lookup_or_error, enumerate(read_numbers())), flush_each=False)


if __name__ == "__main__":
    sys.exit(main())
