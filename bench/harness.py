#!/usr/bin/python3
"""bench/run's helper (Python 3 standard library only).

  harness.py run --label L --sim URL --numbers FILE --out RESULT.json [--accept-exit 0,1] [--ca PEM] -- CMD ARG...
      POST /sim/reset, run CMD once with FILE on stdin and its stdout kept in RESULT.out, measure
      the client process alone (wait4: user + system CPU seconds and peak RSS of CMD and nothing
      else; gcx-sim is another process), then GET /sim/stats and check every number got an answer.
  harness.py table RESULT.json...
      the markdown table of all results, then the issue's targets checked against them.
"""
import argparse
import json
import os
import shlex
import socket
import ssl
import struct
import sys
import threading
import time
import urllib.request


SIM_TLS = None  # ssl.SSLContext trusting --ca when the simulator serves https


def sim_post(url, path):
    req = urllib.request.Request(url + path, data=b"", method="POST")
    with urllib.request.urlopen(req, timeout=10, context=SIM_TLS) as r:
        r.read()


def sim_get(url, path):
    with urllib.request.urlopen(url + path, timeout=10, context=SIM_TLS) as r:
        return json.loads(r.read())


class OpenConnections(threading.Thread):
    """Samples (every 20 ms) how many TCP connections to the simulator's port are established,
    counting client ends only (remote port = the simulator's). Its peak is what "one connection
    per concurrent lookup" is about; connections_accepted also counts re-connections after the
    server closed idle ones. Asks the kernel through NETLINK_SOCK_DIAG for ESTABLISHED sockets
    only (reading /proc/net/tcp, with thousands of TIME_WAIT entries, would cost a CPU)."""

    def __init__(self, port):
        super().__init__(daemon=True)
        self.port = port
        self.peak = -1  # -1: could not be measured
        self.done = threading.Event()

    def count(self, nl):
        # inet_diag_req_v2: family, protocol, ext, pad, states, then an empty inet_diag_sockid.
        req = struct.pack("=BBBBI", socket.AF_INET, socket.IPPROTO_TCP, 0, 0, 1 << 1) + bytes(48)
        nl.send(struct.pack("=IHHII", 16 + len(req), 20, 0x301, 1, 0) + req)  # SOCK_DIAG_BY_FAMILY, REQUEST|DUMP
        n = 0
        while True:
            data = nl.recv(1 << 16)
            off = 0
            while off + 16 <= len(data):
                length, kind = struct.unpack_from("=IH", data, off)
                if kind == 3:  # NLMSG_DONE
                    return n
                if kind == 2:  # NLMSG_ERROR
                    raise OSError("sock_diag refused the request")
                dport = struct.unpack_from("!H", data, off + 16 + 6)[0]  # inet_diag_msg.id.idiag_dport
                n += dport == self.port
                off += (length + 3) & ~3

    def run(self):
        try:
            with socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 4) as nl:  # NETLINK_SOCK_DIAG
                self.peak = 0
                while not self.done.wait(0.02):
                    self.peak = max(self.peak, self.count(nl))
        except OSError:
            self.peak = -1

    def stop(self):
        self.done.set()
        self.join()


def run(args):
    global SIM_TLS
    if args.ca:
        SIM_TLS = ssl.create_default_context(cafile=args.ca)
    cmd = args.cmd[1:] if args.cmd and args.cmd[0] == "--" else args.cmd
    sim_post(args.sim, "/sim/reset")
    out_path = args.out[:-5] + ".out" if args.out.endswith(".json") else args.out + ".out"
    err_path = out_path[:-4] + ".err"
    sampler = OpenConnections(int(args.sim.rsplit(":", 1)[1]))
    with open(args.numbers, "rb") as stdin, open(out_path, "wb") as stdout, open(err_path, "wb") as stderr:
        started = time.monotonic()
        sampler.start()
        pid = os.fork()
        if pid == 0:
            try:
                os.dup2(stdin.fileno(), 0)
                os.dup2(stdout.fileno(), 1)
                os.dup2(stderr.fileno(), 2)
                os.execvp(cmd[0], cmd)
            finally:
                os._exit(127)
        _, status, usage = os.wait4(pid, 0)
        wall = time.monotonic() - started
        sampler.stop()
    # The reset's connection was accepted before the counters were zeroed; this GET is the one
    # connection after it that is not the client's.
    stats = sim_get(args.sim, "/sim/stats")
    client_connections = stats["connections_accepted"] - 1

    counts = {"found": 0, "not_found": 0, "error": 0, "unreadable": 0}
    with open(out_path, "r", encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            try:
                st = json.loads(line).get("status")
            except ValueError:
                st = None
            counts[st if st in counts else "unreadable"] += 1
    with open(args.numbers) as f:
        n = sum(1 for line in f if line.strip())
    exit_code = os.waitstatus_to_exitcode(status)
    accepted = {int(x) for x in args.accept_exit.split(",")}
    ok = exit_code in accepted and counts["found"] + counts["not_found"] == n
    result = {
        "label": args.label,
        "role": args.role,
        "concurrency": args.concurrency,
        "command": " ".join(shlex.quote(c) for c in cmd) + " < numbers.txt",
        "n": n,
        "wall_s": wall,
        "user_s": usage.ru_utime,
        "sys_s": usage.ru_stime,
        "max_rss_kib": usage.ru_maxrss,
        "exit_code": exit_code,
        "answers": counts,
        "ok": ok,
        "sim": {k: stats[k] for k in ("tokens_issued", "launches", "duplicate_launches", "polls",
                                      "requests_total", "rate_limited", "faults_injected")},
        "client_connections": client_connections,
        "peak_open_connections": sampler.peak,
    }
    with open(args.out, "w") as f:
        json.dump(result, f, indent=1)
    cpu_us = (usage.ru_utime + usage.ru_stime) / max(n, 1) * 1e6
    print("%-28s %6.1f s  %8.0f us CPU/lookup  tokens %-5d connections %-5d %s" % (
        args.label, wall, cpu_us, stats["tokens_issued"], client_connections,
        "ok" if ok else "FAILED (exit %d, answers %s; see %s)" % (exit_code, counts, err_path)), file=sys.stderr)
    return 0 if ok else 1


def table(args):
    rows = []
    for path in args.results:
        with open(path) as f:
            rows.append(json.load(f))
    lines = [
        "| client | lookups/s | client CPU per lookup | CPU user + sys | peak RSS | tokens | connections (most open at once) | answers |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        n = max(r["n"], 1)
        cpu = r["user_s"] + r["sys_s"]
        a = r["answers"]
        answers = "%d found, %d not found" % (a["found"], a["not_found"])
        if a["error"] or a["unreadable"] or not r["ok"]:
            answers += ", **%d errors, %d unreadable, exit %d**" % (a["error"], a["unreadable"], r["exit_code"])
        lines.append("| %s | %.1f | %s | %.2f s + %.2f s | %.1f MiB | %d | %d (%d) | %s |" % (
            r["label"], n / r["wall_s"] if r["wall_s"] > 0 else 0, fmt_us(cpu / n * 1e6), r["user_s"], r["sys_s"],
            r["max_rss_kib"] / 1024.0, r["sim"]["tokens_issued"], r["client_connections"],
            r.get("peak_open_connections", -1), answers))
    print("\n".join(lines))
    print()
    print(targets(rows))
    return 0


def cpu_per_lookup(r):
    return (r["user_s"] + r["sys_s"]) / max(r["n"], 1)


def targets(rows):
    """The issue's targets, checked against this run's rows."""
    by = {(r["role"], r["concurrency"]): r for r in rows}
    out = ["| target | measured | met? |", "|---|---|---|"]

    def verdict(ok):
        return "yes" if ok else "**no**"

    for c in sorted({c for (role, c) in by if role == "gcx"}):
        g = by[("gcx", c)]
        js = by.get(("js", c))
        if js:
            ratio = cpu_per_lookup(js) / cpu_per_lookup(g)
            out.append("| client CPU/lookup, gcx at most 1/20 of the JS SDK's (%d in flight) | %s vs %s: 1/%.1f | %s |" % (
                c, fmt_us(cpu_per_lookup(g) * 1e6), fmt_us(cpu_per_lookup(js) * 1e6), ratio, verdict(ratio >= 20)))
        py = by.get(("python", 1))
        if py and c == 1:
            ratio = cpu_per_lookup(py) / cpu_per_lookup(g)
            out.append("| client CPU/lookup, gcx at most 1/50 of the tutorial Python's (sequential) | %s vs %s: 1/%.1f | %s |" % (
                fmt_us(cpu_per_lookup(g) * 1e6), fmt_us(cpu_per_lookup(py) * 1e6), ratio, verdict(ratio >= 50)))
        out.append("| at most one token per token lifetime (gcx, %d in flight) | %d tokens for %d lookups | %s |" % (
            c, g["sim"]["tokens_issued"], g["n"], verdict(g["sim"]["tokens_issued"] <= 1)))
        peak = g.get("peak_open_connections", -1)
        if peak < 0:
            peak = g["client_connections"]
        out.append("| at most one connection per concurrent lookup (gcx, %d in flight) | at most %d open at once; %d accepted in all | %s |" % (
            c, peak, g["client_connections"], verdict(peak <= c)))
    # Issue #23: the asio adapter costs no more client CPU per lookup than the curl multi runner
    # (gcx-lookup's default transport) in the same run.
    for c in sorted({c for (role, c) in by if role == "gcxasio"}):
        a = by[("gcxasio", c)]
        g = by.get(("gcx", c))
        if g:
            out.append("| client CPU/lookup, asio adapter no more than the curl multi runner's (%d in flight) | %s vs %s: %.2fx | %s |" % (
                c, fmt_us(cpu_per_lookup(a) * 1e6), fmt_us(cpu_per_lookup(g) * 1e6),
                cpu_per_lookup(a) / cpu_per_lookup(g), verdict(cpu_per_lookup(a) <= cpu_per_lookup(g))))
    for role, what in (("gcxthreads", "gcx-lookup with a blocking thread per lookup (curl-threads)"),
                       ("curlmulti", "bare-libcurl multi floor (one thread)"),
                       ("curlfloor", "bare-libcurl floor (a thread per lookup)"), ("floor", "raw-socket floor")):
        for c in sorted({c for (r, c) in by if r == role}):
            f = by[(role, c)]
            py = by.get(("python", 1))
            js = by.get(("js", c))
            bits = []
            if js:
                bits.append("1/%.1f of the JS SDK's" % (cpu_per_lookup(js) / cpu_per_lookup(f)))
            if py and c == 1:
                bits.append("1/%.1f of the tutorial Python's" % (cpu_per_lookup(py) / cpu_per_lookup(f)))
            g = by.get(("gcx", c))
            if g:
                bits.append("gcx-lookup costs %.2fx this" % (cpu_per_lookup(g) / cpu_per_lookup(f)))
            if bits:
                out.append("| (reference) %s, %d in flight: %s | %s | - |" % (
                    what, c, fmt_us(cpu_per_lookup(f) * 1e6), ", ".join(bits)))
    return "\n".join(out)


def fmt_us(us):
    return "%.0f µs" % us if us < 1000 else "%.2f ms" % (us / 1000.0)


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="what", required=True)
    r = sub.add_parser("run")
    r.add_argument("--label", required=True)
    r.add_argument("--sim", required=True)
    r.add_argument("--numbers", required=True)
    r.add_argument("--out", required=True)
    r.add_argument("--accept-exit", default="0")
    r.add_argument("--role", default="", help="gcx, js, python, gcxthreads, gcxasio, curlmulti, curlfloor or floor: which targets the row takes part in")
    r.add_argument("--concurrency", type=int, default=1)
    r.add_argument("--ca", default="", help="PEM file of the CA to trust for an https simulator")
    r.add_argument("cmd", nargs=argparse.REMAINDER)
    t = sub.add_parser("table")
    t.add_argument("results", nargs="+")
    args = p.parse_args()
    return run(args) if args.what == "run" else table(args)


if __name__ == "__main__":
    sys.exit(main())
