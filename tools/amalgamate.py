#!/usr/bin/env python3
# gcx — Genesys Cloud CX customer lookup. Distributed under the Boost Software License 1.0.
"""Generates single_include/gcx/gcx.hpp, the one-header distribution of gcx.

    python3 tools/amalgamate.py            regenerate single_include/gcx/gcx.hpp
    python3 tools/amalgamate.py --check    exit 1 (with a diff) if the checked-in file is stale
    python3 tools/amalgamate.py -o FILE    write somewhere else

What goes in, in this order:
  1. the core: <gcx/fwd.hpp>, then every header <gcx/gcx.hpp> includes, followed through their own #include <gcx/...>
     lines, each file once, dependencies first (the order a compiler would meet them);
  2. the optional parts, each behind the macro that opts into it (define it before including):
       GCX_WITH_BOOST_JSON  <gcx/json/boost_json.hpp>, <gcx/json/boost_json_templates.hpp>   (needs Boost.JSON)
       GCX_WITH_NLOHMANN    <gcx/json/nlohmann.hpp>       (needs nlohmann/json)
       GCX_WITH_CURL        <gcx/adapters/curl.hpp>, <gcx/adapters/curl_multi.hpp>   (needs libcurl)
       GCX_WITH_HTTPLIB     <gcx/adapters/httplib.hpp>    (needs cpp-httplib)
     each with the headers it includes (an adapter's parts: gcx/adapters/curl/*.hpp,
     gcx/adapters/httplib/*.hpp). A file needed by several parts (the adapters' shared
     gcx/adapters/transport_options.hpp and gcx/adapters/common/*.hpp) is emitted once, behind
     `#if defined(A) || defined(B)`; the adapters' shared files also behind
     GCX_WITH_ADAPTER_COMMON, which opts into them alone (an adapter built on them outside the
     single header, as the Asio adapter is in GCX_USE_SINGLE_INCLUDE builds).

Every `#include <gcx/...>` line is dropped (its file is already above); every other #include
(the standard library, <boost/...>, <curl/curl.h>, <httplib.h>, <nlohmann/json.hpp>) stays as it
is. Each file keeps its own include guard, so the single header can be mixed with the multi-header
tree and can be included again after defining another GCX_WITH_* macro.

Deterministic: the output depends only on the input files (no time stamps, no absolute paths, no
dict-order or file-system-order effects), written with '\\n' line ends.

Stdlib only (no pip).
"""

import argparse
import difflib
import os
import re
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUTPUT = os.path.join("single_include", "gcx", "gcx.hpp")

# Directories searched for <gcx/...>, in order (the multi-header tree plus the adapters').
SEARCH = [
    "include",
    os.path.join("adapters", "common", "include"),
    os.path.join("adapters", "curl", "include"),
    os.path.join("adapters", "httplib", "include"),
]

UMBRELLA = "gcx/gcx.hpp"

# The optional parts: (macro, root header, what it needs).
OPTIONAL = [
    ("GCX_WITH_BOOST_JSON", "gcx/json/boost_json.hpp", "Boost.JSON (link -lboost_json)"),
    # inert unless GCX_EXTERN_TEMPLATES or GCX_INSTANTIATE_TEMPLATES is defined (docs/compile-time.md)
    ("GCX_WITH_BOOST_JSON", "gcx/json/boost_json_templates.hpp", "Boost.JSON (link -lboost_json)"),
    ("GCX_WITH_NLOHMANN", "gcx/json/nlohmann.hpp", "nlohmann/json (header-only)"),
    ("GCX_WITH_CURL", "gcx/adapters/curl.hpp", "libcurl (link -lcurl)"),
    ("GCX_WITH_CURL", "gcx/adapters/curl_multi.hpp", "libcurl (link -lcurl)"),
    ("GCX_WITH_HTTPLIB", "gcx/adapters/httplib.hpp", "cpp-httplib (build with $(pkg-config --cflags --libs cpp-httplib): Debian's library is built with its OpenSSL, zlib and brotli macros, which every unit must see too)"),
]

# Headers deliberately left out, with the reason. Any other header in the search directories that
# the amalgamation does not reach is an error: a new header must not silently go missing.
EXCLUDED = {}

# Emitted first, before the umbrella's includes: the forward declarations.
EXTRA_CORE = ["gcx/fwd.hpp"]

LICENSE_LINE = "Distributed under the Boost Software License, Version 1.0 (https://www.boost.org/LICENSE_1_0.txt)."

INCLUDE_RE = re.compile(r'^\s*#\s*include\s*[<"](gcx/[^>"]+)[>"]')
# The one-line banner each source header starts with; the single header states it once.
FILE_BANNER_RE = re.compile(r"^// gcx .*Boost Software License")


class Error(Exception):
    pass


def rel(path):
    return os.path.relpath(path, ROOT).replace(os.sep, "/")


def locate(name):
    for d in SEARCH:
        p = os.path.join(ROOT, d, *name.split("/"))
        if os.path.isfile(p):
            return p
    raise Error("cannot find <%s> in %s" % (name, ", ".join(SEARCH)))


def read(name):
    with open(locate(name), "r", encoding="utf-8", newline=None) as f:
        return f.read()


def gcx_includes(text):
    out = []
    for line in text.split("\n"):
        m = INCLUDE_RE.match(line)
        if m:
            out.append(m.group(1))
    return out


def closure(roots, done):
    """Post-order DFS over #include <gcx/...>: dependencies before the file that needs them.
    Files in `done` (already emitted) are skipped."""
    order, visiting, seen = [], [], set(done)

    def visit(name):
        if name in seen:
            return
        if name in visiting:
            raise Error("include cycle: " + " -> ".join(visiting + [name]))
        if name in EXCLUDED:
            raise Error("<%s> is excluded from the single header (%s) but <%s> includes it"
                        % (name, EXCLUDED[name], visiting[-1] if visiting else "?"))
        visiting.append(name)
        for dep in gcx_includes(read(name)):
            visit(dep)
        visiting.pop()
        seen.add(name)
        order.append(name)

    for r in roots:
        visit(r)
    return order


def all_headers():
    found = set()
    for d in SEARCH:
        base = os.path.join(ROOT, d)
        for dirpath, _, files in os.walk(base):
            for f in files:
                if f.endswith(".hpp"):
                    found.add(os.path.relpath(os.path.join(dirpath, f), base).replace(os.sep, "/"))
    return found


def version():
    """(major, minor, patch) from version.hpp, cross-checked with CMakeLists.txt's project()."""
    text = read("gcx/version.hpp")
    nums = []
    for part in ("MAJOR", "MINOR", "PATCH"):
        m = re.search(r"^#define GCX_VERSION_%s (\d+)\s*$" % part, text, re.M)
        if not m:
            raise Error("include/gcx/version.hpp: no GCX_VERSION_%s" % part)
        nums.append(int(m.group(1)))
    v = "%d.%d.%d" % tuple(nums)
    m = re.search(r'^#define GCX_VERSION_STRING "([^"]*)"', text, re.M)
    if not m or m.group(1) != v:
        raise Error("include/gcx/version.hpp: GCX_VERSION_STRING disagrees with MAJOR.MINOR.PATCH (%s)" % v)
    if not re.search(r"inline namespace v%d\b" % nums[0], text):
        raise Error("include/gcx/version.hpp: the inline ABI namespace is not v%d" % nums[0])
    with open(os.path.join(ROOT, "CMakeLists.txt"), encoding="utf-8") as f:
        m = re.search(r"project\(\s*gcx\s+VERSION\s+([0-9.]+)", f.read())
    if not m:
        raise Error("CMakeLists.txt: no project(gcx VERSION ...)")
    if m.group(1) != v:
        raise Error("version mismatch: include/gcx/version.hpp says %s, CMakeLists.txt project() says %s"
                    % (v, m.group(1)))
    return v


def body(name):
    """The file's text for the single header: its banner line and gcx includes dropped, trailing
    blank lines trimmed, the rest (guard included) verbatim."""
    lines = read(name).split("\n")
    if lines and FILE_BANNER_RE.match(lines[0]):
        lines = lines[1:]
    lines = [ln.rstrip() for ln in lines if not INCLUDE_RE.match(ln)]
    # collapse the blank runs the dropped includes leave behind
    out = []
    for ln in lines:
        if ln == "" and (not out or out[-1] == ""):
            continue
        out.append(ln)
    while out and out[-1] == "":
        out.pop()
    return out


def section(name, cond=None):
    bar = "// " + ("======== <%s> " % name).ljust(96, "=")
    out = [bar]
    if cond:
        out.append("#if " + cond)
    out += body(name)
    if cond:
        out.append("#endif // " + cond)
    out.append("")
    return out


def generate():
    v = version()
    roots = gcx_includes(read(UMBRELLA))
    if not roots:
        raise Error("<%s> includes nothing" % UMBRELLA)
    core = closure(EXTRA_CORE + roots, set())

    # Which optional parts need each non-core file, and the order to emit them in.
    needed_by, opt_order = {}, []
    emitted = set(core)
    for macro, root, _ in OPTIONAL:
        for f in closure([root], set(core)):
            if macro not in needed_by.setdefault(f, []):
                needed_by[f].append(macro)
        for f in closure([root], emitted):
            opt_order.append(f)
            emitted.add(f)

    for f in needed_by:  # the adapters' shared part, on its own too
        if f == "gcx/adapters/transport_options.hpp" or f.startswith("gcx/adapters/common/"):
            needed_by[f].append("GCX_WITH_ADAPTER_COMMON")

    missing = sorted(all_headers() - emitted - set(EXCLUDED) - {UMBRELLA})
    if missing:
        raise Error("not in the single header: %s\n  include it from <%s> or an optional part, or list it in "
                    "EXCLUDED in tools/amalgamate.py with a reason" % (", ".join(missing), UMBRELLA))

    out = [
        "// gcx %s - Genesys Cloud CX customer lookup for C++17, as one header." % v,
        "// " + LICENSE_LINE,
        "// SPDX-License-Identifier: BSL-1.0",
        "//",
        "// GENERATED from include/gcx/ and adapters/*/include/ by tools/amalgamate.py: do not edit.",
        "// Regenerate with `python3 tools/amalgamate.py` (or `cmake --build <build> --target amalgamate`).",
        "//",
        "// The core (everything <gcx/gcx.hpp> of the multi-header tree holds) needs only the Boost",
        "// headers (Describe, Mp11) and threads (-pthread). Each optional part needs its third-party",
        "// library; define its macro before including this file:",
        "//",
    ]
    for macro in dict.fromkeys(m for m, _, _ in OPTIONAL):  # one line per macro, in order
        parts = [(r, n) for m, r, n in OPTIONAL if m == macro]
        out.append("//   #define %-20s // %s: %s" % (macro, ", ".join("<%s>" % r for r, _ in parts), parts[0][1]))
    out += [
        "//   #include \"gcx.hpp\"",
        "//",
        "// Every part keeps the include guard of its source header, so this file may be included again",
        "// after defining another GCX_WITH_* macro, and mixes safely with the multi-header tree.",
        "",
        "// " + "#" * 32 + " core " + "#" * 60,
        "",
    ]
    for f in core:
        out += section(f)
    out += ["// " + "#" * 32 + " optional parts (GCX_WITH_*) " + "#" * 37, ""]
    for f in opt_order:
        cond = " || ".join("defined(%s)" % m for m in needed_by[f])
        out += section(f, cond)
    text = "\n".join(out).rstrip("\n") + "\n"
    if re.search(r"^\s*#\s*include\s*[<\"]gcx/", text, re.M):
        raise Error("internal: an #include <gcx/...> survived")
    return text


def main():
    ap = argparse.ArgumentParser(description="Generate single_include/gcx/gcx.hpp.")
    ap.add_argument("-o", "--output", default=os.path.join(ROOT, OUTPUT), help="where to write (default: %(default)s)")
    ap.add_argument("--check", action="store_true",
                    help="regenerate to a temporary file and compare with the output; exit 1 if they differ")
    args = ap.parse_args()
    try:
        text = generate()
    except Error as e:
        print("amalgamate: error: %s" % e, file=sys.stderr)
        return 2
    data = text.encode("utf-8")

    if args.check:
        fd, tmp = tempfile.mkstemp(prefix="gcx-single-", suffix=".hpp")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            try:
                with open(args.output, "rb") as f:
                    current = f.read()
            except FileNotFoundError:
                current = None
            if current == data:
                print("amalgamate: %s is up to date" % rel(args.output))
                return 0
            print("amalgamate: %s is OUT OF DATE with include/gcx/ and adapters/ (regenerated copy: %s)."
                  % (rel(args.output), tmp), file=sys.stderr)
            if current is not None:
                diff = list(difflib.unified_diff(current.decode("utf-8", "replace").split("\n"), text.split("\n"),
                                                 "checked-in", "regenerated", lineterm="", n=2))
                for ln in diff[:60]:
                    print("  " + ln, file=sys.stderr)
                if len(diff) > 60:
                    print("  ... (%d more diff lines)" % (len(diff) - 60), file=sys.stderr)
            print("amalgamate: regenerate it with:  python3 tools/amalgamate.py   "
                  "(or: cmake --build <build-dir> --target amalgamate), then commit it.", file=sys.stderr)
            tmp = None  # keep it for inspection
            return 1
        finally:
            if tmp:
                os.unlink(tmp)

    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    try:
        with open(args.output, "rb") as f:
            if f.read() == data:
                return 0  # unchanged: leave the time stamp alone (no needless rebuilds)
    except FileNotFoundError:
        pass
    with open(args.output, "wb") as f:
        f.write(data)
    print("amalgamate: wrote %s" % rel(args.output))
    return 0


if __name__ == "__main__":
    sys.exit(main())
