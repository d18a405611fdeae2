"""`check --fix --unsafe-fixes` applies the rewrites with slots too, once, and the slots it leaves
are reported; `--fix` alone leaves them to the editor."""

from __future__ import annotations

import json
import subprocess
import sys

TEXT = """# Review

## Follow-ups

- [ ] **@sre-team:** Everyone who edits the zone file needs to be more careful **[Jan 22]**
- [ ] **@docs-team:** Improve our documentation **[Jan 29]**

In hindsight, the cutover needed a dry run.
"""


def blamelint(*args):
    return subprocess.run([sys.executable, "-m", "blamelint", *args], capture_output=True, text=True, timeout=180)


def test_unsafe_fixes_apply_slot_rewrites_once(tmp_path):
    safe, unsafe = tmp_path / "safe.md", tmp_path / "unsafe.md"
    safe.write_text(TEXT, encoding="utf-8")
    unsafe.write_text(TEXT, encoding="utf-8")

    blamelint("check", "--fix", "--no-cache", str(safe))
    text = safe.read_text(encoding="utf-8")
    assert "The cutover needed a dry run." in text  # the safe removal of "In hindsight,"
    assert "needs to be more careful" in text and "[which mistake]" not in text

    blamelint("check", "--fix", "--unsafe-fixes", "--no-cache", str(unsafe))
    fixed = unsafe.read_text(encoding="utf-8")
    # the appeal becomes a system change, and the follow-up gains the outcome that shows it is done
    assert ("- [ ] **@sre-team:** Add [a guard rail or an automated check] that catches [which mistake] "
            "when editing the zone file so that [which measure] reaches [what target] **[Jan 22]**") in fixed
    # the follow-up's outcome and the vague action's measure insert the same slots: once
    assert ("- [ ] **@docs-team:** Improve our documentation so that [which measure] reaches [what target] "
            "**[Jan 29]**") in fixed
    assert "The cutover needed a dry run." in fixed

    r = blamelint("check", "--format", "json", "--no-cache", str(unsafe))
    found = json.loads(r.stdout)
    assert {f["category"] for f in found} <= {"placeholder", "template", "followup"}, found
    assert sum(f["rule"] == "unfilled-slot" for f in found) == 6
    assert r.returncode == 1 or all(f["severity"] == "info" for f in found if f["category"] == "placeholder")

    again = blamelint("check", "--fix", "--unsafe-fixes", "--no-cache", str(unsafe))
    assert again.returncode in (0, 1)
    assert unsafe.read_text(encoding="utf-8") == fixed  # idempotent


def test_unsafe_fixes_need_fix_or_diff(tmp_path):
    f = tmp_path / "pm.md"
    f.write_text(TEXT, encoding="utf-8")
    r = blamelint("check", "--unsafe-fixes", str(f))
    assert r.returncode == 2 and "--unsafe-fixes needs --fix or --diff" in r.stderr
    d = blamelint("check", "--diff", "--unsafe-fixes", "--no-cache", str(f))
    assert "+- [ ] **@docs-team:** Improve our documentation so that [which measure]" in d.stdout
    assert f.read_text(encoding="utf-8") == TEXT  # --diff writes nothing


def test_unsafe_fixes_of_a_vague_follow_up_leave_only_reported_slots(tmp_path):
    """The owner label, the rewrite of the appeal and the outcome slots all land, and every slot
    (the placeholder owner included) is reported until it is filled."""
    from click.testing import CliRunner

    from blamelint.cli import main

    f = tmp_path / "pm.md"
    f.write_text("# Incident: x\n\n## Follow-ups\n\n- We need to be more careful.\n", encoding="utf-8")
    CliRunner().invoke(main, ["check", "--fix", "--unsafe-fixes", str(f)])
    text = f.read_text(encoding="utf-8")
    item = next(line for line in text.split("## Follow-ups", 1)[1].splitlines() if line.startswith("- "))
    assert item.startswith("- **@owner:** Add [a guard rail or an automated check]") and "careful" not in item
    r = CliRunner().invoke(main, ["check", "--format", "json", "--select", "placeholder,vague-action,followup", str(f)])
    rules = [x["rule"] for x in json.loads(r.stdout)]
    assert "unfilled-owner" in rules and "unfilled-slot" in rules
    assert not [x for x in rules if not x.startswith("unfilled-")]
