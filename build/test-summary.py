#!/usr/bin/env python3
"""Prints every failed test of a `make test` run, with its message and the top of its stack trace.

CI shows only the tail of the output, and `dotnet test` prints a failure where it happens, minutes before the
end; this summary puts the names last. Reads the .trx files (one per test assembly) under the given directory.
Exit code: 0 when no test failed, 1 otherwise (the Makefile keeps `dotnet test`'s own exit code either way).
"""
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
MESSAGE_LINES = 12
STACK_LINES = 8


def clip(text, lines):
    rows = (text or "").strip().splitlines()
    return rows[:lines] + ([f"... ({len(rows) - lines} more lines)"] if len(rows) > lines else [])


def main(root):
    trx_files = sorted(Path(root).rglob("*.trx"))
    failed, total = [], 0
    for trx in trx_files:
        tree = ET.parse(trx)
        for result in tree.iterfind(".//t:UnitTestResult", NS):
            total += 1
            if result.get("outcome") != "Failed":
                continue
            message = result.findtext(".//t:ErrorInfo/t:Message", default="", namespaces=NS)
            stack = result.findtext(".//t:ErrorInfo/t:StackTrace", default="", namespaces=NS)
            failed.append((trx.stem, result.get("testName"), result.get("duration"), message, stack))
    print(f"test summary: {total} results in {len(trx_files)} assemblies, {len(failed)} failed")
    for assembly, name, duration, message, stack in failed:
        print(f"FAILED [{assembly}] {name} ({duration})")
        for row in clip(message, MESSAGE_LINES):
            print(f"    {row}")
        for row in clip(stack, STACK_LINES):
            print(f"      {row}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "TestResults"))
