#!/usr/bin/env python3
"""Count the tests of one `scripts/test` run, honestly, and print the verdict.

Reads the log of Odoo's own test run (``odoo --test-enable --log-level=test``),
the JUnit XML of the end-to-end pytest run, the logs of the Odoo servers
started for the end-to-end tests, and the results of the style checks
(scripts/lint: one test per check, ``--lint NAME=PREFIX`` reads PREFIX.rc and
PREFIX.log; a missing result is a failure). Prints what failed and ends with exactly one
line ``N passed, N failed``. Exit status 1 if anything failed or no test ran.

What Odoo 18 logs (odoo/tests/result.py, odoo/service/server.py):
  INFO  <module logger>: Starting Class.method ...          one per test
  ERROR <module logger>: FAIL: Class.method / ERROR: ...     a failure / an error
        (also "Subtest Class.method (...)" and "setUpClass (odoo.addons...Class)")
  INFO  <module logger>: skipped Class.method : reason       a skip, e.g. a tour whose
        Chrome is missing: "Chrome executable not found"
  ERROR/INFO odoo.tests.result:
        N failed, N error(s) of N tests when loading database 'db'
Rules: a test passes only if it ran, was not skipped, did not fail and logged no
ERROR/CRITICAL line; an ERROR/CRITICAL line outside any test counts as one
failure; a run that never printed its summary line counts as one failure.

Standard library only: it runs with any python3.
"""

import argparse
import re
import sys
import xml.etree.ElementTree as ET

RECORD = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ "
    r"(?P<level>DEBUG|INFO|WARNING|ERROR|CRITICAL|\S+) (?P<db>\S+) "
    r"(?P<logger>\S+): (?P<msg>.*)$"
)
SUMMARY = re.compile(
    r"(?P<failed>\d+) failed, (?P<errors>\d+) error\(s\) of (?P<run>\d+) tests "
    r"when loading database"
)
# Consequences of failures already counted, not failures of their own.
ECHO_LINES = (
    re.compile(r"^At least one test failed when loading the modules\.$"),
    re.compile(r"^Module \S+: \d+ failures, \d+ errors of \d+ tests$"),
    re.compile(r"^Test suite halted: max failed tests already reached"),
    re.compile(r"^\S+: at least one error occurred in a test$"),
    SUMMARY,
)


def test_key(logger, description):
    """A stable id for a test from its logger (test module) and description."""
    description = description.strip()
    if description.startswith("Subtest "):
        description = description[len("Subtest ") :].split(" ", 1)[0]
    return f"{logger}::{description}"


def parse_odoo_log(path, label):
    """Return (passed ids, {failed id: reason}, stray error lines, notes)."""
    started = []  # in order
    failed = {}
    stray = []
    summary = None
    current = None  # the test running now, while its lines are being logged
    try:
        with open(path, encoding="utf-8", errors="replace") as log:
            lines = log.read().splitlines()
    except FileNotFoundError:
        return [], {}, [f"{label}: log {path} is missing"], []
    for line in lines:
        m = RECORD.match(line)
        if not m:
            continue  # traceback or other continuation line
        # Odoo appends " <perf info>" to each record, often just a space
        level, logger, msg = m["level"], m["logger"], m["msg"].rstrip()
        if level == "INFO" and msg.startswith("Starting ") and msg.endswith(" ..."):
            current = test_key(logger, msg[len("Starting ") : -len(" ...")])
            started.append(current)
            continue
        if logger.startswith(("odoo.modules.", "odoo.service.")) and level in (
            "INFO",
            "DEBUG",
        ):
            current = None  # back to module loading: no test is running
        s = SUMMARY.search(msg)
        if s and logger == "odoo.tests.result":
            summary = s
            current = None
        if level == "INFO" and msg.startswith("skipped ") and " : " in msg:
            desc, reason = msg[len("skipped ") :].split(" : ", 1)
            failed.setdefault(test_key(logger, desc), f"skipped: {reason}")
            continue
        if level not in ("ERROR", "CRITICAL"):
            continue
        flavour = re.match(r"^(FAIL|ERROR): (.*)$", msg)
        if flavour:
            failed.setdefault(test_key(logger, flavour[2]), flavour[1])
            continue
        if any(echo.search(msg) for echo in ECHO_LINES):
            continue
        if current:
            failed.setdefault(current, f"logged {level}: {msg[:120]}")
        else:
            stray.append(f"{label}: {level} {logger}: {msg[:200]}")
    notes = []
    passed = [t for t in dict.fromkeys(started) if t not in failed]
    if summary is None:
        stray.append(f"{label}: no summary line: the run did not complete")
    else:
        notes.append(f"{label}: Odoo's own summary: {summary[0]}")
        reported = int(summary["failed"]) + int(summary["errors"])
        if reported and not failed:
            stray.append(
                f"{label}: {reported} failures/errors not attributed to a test"
            )
    return passed, failed, stray, notes


def parse_junit(path):
    """Return (passed ids, {failed id: reason}) from a pytest JUnit XML file."""
    passed, failed = [], {}
    root = ET.parse(path).getroot()
    for case in root.iter("testcase"):
        key = f"{case.get('classname', '')}::{case.get('name', '')}"
        bad = [child for child in case if child.tag in ("failure", "error", "skipped")]
        if bad:
            message = (bad[0].get("message") or "").strip().splitlines() or [""]
            failed[key] = f"{bad[0].tag}: {message[0][:150]}"
        else:
            passed.append(key)
    return passed, failed


def parse_server_log(path, label):
    """ERROR/CRITICAL lines of a server started for the end-to-end tests."""
    stray = []
    try:
        with open(path, encoding="utf-8", errors="replace") as log:
            for line in log:
                m = RECORD.match(line.rstrip("\n"))
                if m and m["level"] in ("ERROR", "CRITICAL"):
                    stray.append(
                        f"{label}: {m['level']} {m['logger']}: {m['msg'][:200]}"
                    )
    except FileNotFoundError:
        pass  # the e2e suite may not have started a server
    return stray


def parse_lint(specs):
    """Return (passed names, {failed name: reason}) from ``NAME=PREFIX`` specs."""
    passed, failed = [], {}
    for spec in specs:
        name, _sep, prefix = spec.partition("=")
        key = f"lint::{name}"
        try:
            with open(f"{prefix}.rc", encoding="utf-8") as rc_file:
                rc = int(rc_file.read().strip() or "1")
        except (OSError, ValueError) as exc:
            failed[key] = f"no result ({exc})"
            continue
        if rc == 0:
            passed.append(key)
            continue
        try:
            with open(f"{prefix}.log", encoding="utf-8", errors="replace") as log:
                lines = [line.strip() for line in log if line.strip()]
        except OSError:
            lines = []
        first = lines[0][:150] if lines else ""
        failed[key] = f"exit {rc}, {len(lines)} lines of findings: {first}"
    return passed, failed


def count(passed, failed, stray):
    return (
        f"{len(passed)} passed, {len(failed)} failed or skipped, "
        f"{len(stray)} other errors"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--odoo-log", required=True)
    parser.add_argument("--odoo-rc", type=int, required=True)
    parser.add_argument("--junit")
    parser.add_argument("--pytest-rc", type=int)
    parser.add_argument("--server-log", action="append", default=[])
    parser.add_argument("--lint", action="append", default=[], metavar="NAME=PREFIX")
    args = parser.parse_args()

    o_passed, o_failed, o_stray, notes = parse_odoo_log(args.odoo_log, "odoo tests")
    if args.odoo_rc != 0 and not o_failed and not o_stray:
        o_stray.append(f"odoo tests: odoo exited with status {args.odoo_rc}")
    print(f"Odoo tests: {count(o_passed, o_failed, o_stray)}")
    for note in notes:
        print(f"  {note}")

    e_passed, e_failed, e_stray = [], {}, []
    if args.junit is not None:
        try:
            e_passed, e_failed = parse_junit(args.junit)
        except (OSError, ET.ParseError) as exc:
            e_stray.append(f"e2e tests: no JUnit report ({exc})")
        if args.pytest_rc not in (0, 5) and not e_failed and not e_stray:
            e_stray.append(f"e2e tests: pytest exited with status {args.pytest_rc}")
        for log in args.server_log:
            e_stray += parse_server_log(log, f"e2e server ({log})")
        print(f"End-to-end tests: {count(e_passed, e_failed, e_stray)}")

    l_passed, l_failed = parse_lint(args.lint)
    if args.lint:
        print(f"Style checks: {count(l_passed, l_failed, [])}")

    all_failed = {**o_failed, **e_failed, **l_failed}
    problems = [f"FAILED {k} ({v})" for k, v in all_failed.items()]
    problems += [f"ERROR  {s}" for s in o_stray + e_stray]
    if problems:
        print("Problems:")
        for p in problems:
            print(f"  {p}")

    total_passed = len(o_passed) + len(e_passed) + len(l_passed)
    total_failed = len(all_failed) + len(o_stray) + len(e_stray)
    if total_passed + total_failed == 0:
        print("No test ran: that is a failure.")
        total_failed = 1
    print(f"{total_passed} passed, {total_failed} failed")
    return 1 if total_failed else 0


if __name__ == "__main__":
    sys.exit(main())
