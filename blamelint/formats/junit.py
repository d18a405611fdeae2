"""JUnit XML: one testsuite, one testcase per file, one <failure> per finding (a clean file passes).
A file blamelint failed on has an <error> instead; `failures` counts findings, as junitparser does."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import PurePath

from blamelint.formats.common import location

# characters XML 1.0 cannot hold, even escaped
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml(value: str) -> str:
    return _NOT_XML.sub("\ufffd", value)


def _names(path: str) -> tuple[str, str]:
    """(classname, name): the path without its suffix, as ruff does, and the path."""
    p = PurePath(path)
    return (p.with_suffix("") if p.suffix else p).as_posix(), p.as_posix()


def testcase(result) -> ET.Element:
    classname, name = _names(result.path)
    case = ET.Element("testcase", {"classname": _xml(classname), "name": _xml(name)})
    if result.error is not None:
        kind = "internal-error" if result.internal else "unreadable"
        error = ET.SubElement(case, "error", {"message": _xml(result.error), "type": kind})
        error.text = _xml(f"1:1 {kind} {result.error}")
    else:
        for finding in result.findings:
            loc = location(result.document, finding.start, finding.end)
            attrs = {"message": _xml(finding.message), "type": _xml(finding.rule)}
            failure = ET.SubElement(case, "failure", attrs)
            failure.text = _xml(f"{loc['line']}:{loc['column']} {finding.rule} {finding.message}")
    if result.problems:
        ET.SubElement(case, "system-err").text = _xml("\n".join(result.problems))
    return case


def report(results) -> ET.Element:
    cases = [testcase(result) for result in results]
    counts = {
        "tests": str(len(cases)),
        "failures": str(sum(len(case.findall("failure")) for case in cases)),
        "errors": str(sum(len(case.findall("error")) for case in cases)),
    }
    root = ET.Element("testsuites", {"name": "blamelint", **counts})
    suite = ET.SubElement(root, "testsuite", {"name": "blamelint", **counts, "skipped": "0"})
    suite.extend(cases)
    return root


def render(results, rules, *, color: bool = False) -> str:
    root = report(results)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
