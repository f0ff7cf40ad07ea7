#!/usr/bin/env python3
"""README code is tested code: every ```cpp and ```cmake block in the README's sections
"Using the library in one screen", "From an Asio program", "Using gcx in your project" and "API
overview" must be a verbatim excerpt (whole consecutive
lines, leading and trailing white space ignored) of a file the consumer tests build:
tests/consumer/programs/*.cpp, tests/consumer/*/CMakeLists.txt, or examples/*.cpp.

    readme_check.py REPO
"""
import glob
import os
import re
import sys

SECTIONS = ("Using the library in one screen", "From an Asio program", "Using gcx in your project", "API overview")
CHECKED = ("cpp", "c++", "cmake")
SOURCES = ("tests/consumer/programs/*.cpp", "tests/consumer/*/CMakeLists.txt", "tests/consumer/*/*.cpp", "examples/*.cpp")


def sections(text):
    """{title: body} for the README's level-2 sections."""
    out, title, body = {}, None, []
    in_fence = False
    for line in text.split("\n"):
        if line.startswith("```"):
            in_fence = not in_fence
        if not in_fence and line.startswith("## "):
            if title:
                out[title] = "\n".join(body)
            title, body = line[3:].strip(), []
        elif title:
            body.append(line)
    if title:
        out[title] = "\n".join(body)
    return out


def blocks(body):
    for m in re.finditer(r"^```([\w+]*)[^\n]*\n(.*?)^```", body, re.S | re.M):
        yield m.group(1).lower(), m.group(2).rstrip("\n").split("\n")


def norm(lines):
    return [ln.strip() for ln in lines]


def contains(haystack, needle):
    n = len(needle)
    return any(haystack[i:i + n] == needle for i in range(len(haystack) - n + 1))


def main():
    repo = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    with open(os.path.join(repo, "README.md"), encoding="utf-8") as f:
        secs = sections(f.read())
    files = {}
    for pattern in SOURCES:
        for p in sorted(glob.glob(os.path.join(repo, pattern))):
            with open(p, encoding="utf-8") as f:
                files[os.path.relpath(p, repo)] = norm(f.read().split("\n"))
    failures, checked = 0, 0
    for title in SECTIONS:
        if title not in secs:
            print("README.md: no section '## %s'" % title)
            failures += 1
            continue
        for i, (lang, lines) in enumerate(blocks(secs[title]), 1):
            if lang not in CHECKED:
                continue
            checked += 1
            want = norm(lines)
            where = [name for name, have in files.items() if contains(have, want)]
            if where:
                print("ok   %s, block %d (%s, %d lines): %s" % (title, i, lang, len(lines), where[0]))
            else:
                failures += 1
                print("FAIL %s, block %d (%s) is not an excerpt of any tested file:\n    %s"
                      % (title, i, lang, "\n    ".join(lines[:6])))
    print("%d blocks checked, %d failures" % (checked, failures))
    return 1 if failures or not checked else 0


if __name__ == "__main__":
    sys.exit(main())
