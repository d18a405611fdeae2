"""`blamelint eval`: precision and recall per category against a labeled corpus.

A labeled document `NAME.md` has a sidecar `NAME.expect.yaml` listing the spans at fault
(`{category, text, occurrence}`); a document without a sidecar is expected to be clean in
the measured categories. A finding hits an annotation of its category when their spans
overlap; a finding that overlaps none is a false positive. A sidecar may say which categories
its labels speak for (`scored:`) and that each label marks its whole sentence (`match: sentence`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

import yaml

from blamelint.errors import InputError, guarded
from blamelint.findings import internal_message
from blamelint.fixcheck import grammar_available, problems
from blamelint.fixes import apply_edits
from blamelint.rewrite import SENTENCE_END_RE
from blamelint.rules.words import words


def _droppable() -> frozenset:
    """Words a blameless rewrite may leave out: the person (roles, pronouns) and the judgement
    (failure verbs, verdict adverbs, character adjectives, appeals)."""
    agentive, rewrite = words("agentive"), words("rewrite")
    found = set()
    for key in ("role_nouns", "person_pronouns", "failure_verbs", "diligence_verbs", "belief_markers"):
        found |= agentive[key]
    # (grading adverbs go with the verdict they grade: "absolutely no excuse", "utterly careless")
    for key in ("judgement_adverbs", "character_adjectives", "character_nouns", "hindsight_adjectives", "fault_nouns", "appeal_words",
                "grading_adverbs", "appeal_verbs"):
        found |= rewrite[key]
    found |= {w for phrase in rewrite["judgement_phrases"] for w in phrase}
    found |= {w for pair in agentive["idioms"] for w in pair}
    found |= rewrite["may_drop"]
    return frozenset(found)


DROPPABLE = _droppable()


def droppable_words(sentence: str, findings) -> set[str]:
    """What a rewrite of the sentence may leave out: DROPPABLE, the names and the judged words of
    its findings (a blame finding's only when its match is a short verdict, not a clause), and the
    words of a person's phrase ("the code reviewer", "the storage team")."""
    out = set(DROPPABLE) | {w.strip("@*_`[]():,.") for f in findings
                            if f.category in ("named-individual", "hindsight", "vague-action", "root-cause")
                            # a blame rule's short match is the verdict itself ("dropped the ball",
                            # "careless"); a clause-long one is the action the rewrite must keep
                            or f.category == "blame" and len(f.text.split()) <= 4
                            for w in re.split(r"[\s.]+", f.text)}
    out |= {m.group(1) for m in GRADED_VERDICT_RE.finditer(sentence)}  # "a big mistake", "a wrong decision"
    out |= {w for m in SHOWED_LACK_RE.finditer(sentence) for w in m.group().split()}  # "showed a total lack of care"
    words_in = re.findall(r"[\w'’-]+", sentence)
    out |= {w for i, w in enumerate(words_in) if any(
        _role(re.sub(r"['’]s$", "", x.lower())) for x in words_in[i + 1: i + 3])}
    return out
ROLE_WORDS = words("agentive")["role_nouns"] | {"on-call", "oncall"}
# a verdict on a person's attitude, all of it judgement ("showed a worrying lack of urgency")
SHOWED_LACK_RE = re.compile(r"\b(?:showed|shows|show|displayed|demonstrated)\s+(?:an?\s+)?(?:\w+\s+)?lack\s+of\s+\w+",
                            re.IGNORECASE)


def _role(word: str) -> bool:
    return word in ROLE_WORDS or word.endswith("s") and word[:-1] in ROLE_WORDS  # ("the vendor's engineers")
# a word that grades a verdict on an act goes with it ("made a big mistake by …" → what was done)
GRADED_VERDICT_RE = re.compile(
    r"\b(big|serious|grave|basic|simple|huge|massive|terrible|costly|silly|stupid|wrong|bad|poor|unforced|rookie)"
    r"\s+(?=(?:mistake|error|blunder|slip|decision|call|choice)s?\b)", re.IGNORECASE)
MEASURED = ("blame", "named-individual", "hindsight", "vague-action", "followup")
FIXABLE = ("blame", "named-individual", "hindsight", "vague-action", "root-cause")


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass
class Miss:
    kind: str  # "fp" or "fn"
    category: str
    path: str
    line: int
    text: str


@dataclass
class Report:
    scores: dict[str, Score] = field(default_factory=lambda: {c: Score() for c in MEASURED})
    misses: list[Miss] = field(default_factory=list)
    documents: int = 0
    problems: list[str] = field(default_factory=list)  # rules that raised while linting
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, internal error): not scored
    fixable: int = 0  # findings in FIXABLE categories
    with_fix: int = 0  # ... that carry at least one fix
    with_edit: int = 0  # ... whose fix has edits
    relinted_clean: int = 0  # ... whose first edit re-lints without the same or a new finding
    checked_ok: int = 0  # ... whose first edit passes the mechanical checks (fixcheck.problems)
    labeled: set = field(default_factory=set)  # categories some document's labels speak for (`scored:`)

    @property
    def relint_rate(self) -> float:
        return self.relinted_clean / self.with_edit if self.with_edit else 1.0

    def add(self, other: Report) -> None:
        for cat, score in other.scores.items():
            mine = self.scores[cat]
            mine.tp, mine.fp, mine.fn = mine.tp + score.tp, mine.fp + score.fp, mine.fn + score.fn
        self.misses += other.misses
        self.problems += other.problems
        self.failed += other.failed
        self.documents += other.documents
        self.fixable += other.fixable
        self.with_fix += other.with_fix
        self.with_edit += other.with_edit
        self.relinted_clean += other.relinted_clean
        self.checked_ok += other.checked_ok
        self.labeled |= other.labeled

    def as_dict(self) -> dict:
        return {
            "documents": self.documents,
            "problems": self.problems,
            "failed": [{"path": path, "error": error} for path, error in self.failed],
            "categories": {
                c: {"tp": s.tp, "fp": s.fp, "fn": s.fn, "precision": round(s.precision, 4),
                    "recall": round(s.recall, 4)}
                for c, s in self.scores.items() if c in self.labeled
            },
            "fixes": {"findings": self.fixable, "with_fix": self.with_fix, "with_edit": self.with_edit,
                      "relint_clean": self.relinted_clean, "relint_rate": round(self.relint_rate, 4),
                      "checks_pass": self.checked_ok, "grammar_checked": grammar_available()},
        }


def _sidecar(md_path: Path) -> dict:
    sidecar = md_path.with_suffix(".expect.yaml")
    if not sidecar.exists():
        return {}
    data = yaml.safe_load(sidecar.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise InputError(f"{sidecar}: expected a mapping with `findings`")
    return data


def annotations(md_path: Path, text: str, data: dict | None = None) -> list[tuple[str, int, int]]:
    """(category, start, end) for each annotation in md_path's sidecar (`data`, when the caller
    has read it already); [] when there is none."""
    sidecar = md_path.with_suffix(".expect.yaml")
    data = _sidecar(md_path) if data is None else data
    out = []
    for entry in data.get("findings", []):
        needle, n = entry["text"], int(entry.get("occurrence", 1))
        pos = -1
        for _ in range(n):
            pos = text.find(needle, pos + 1)
            if pos < 0:
                raise InputError(f"{sidecar}: text not found in {md_path.name}: {needle!r}")
        out.append((entry["category"], pos, pos + len(needle)))
    return out


def _overlaps(a0, a1, b0, b1) -> bool:
    return a0 < b1 and b0 < a1


def evaluate(paths: list[Path], linter, rewrites: bool = True) -> Report:
    report = Report()
    files = []
    for p in paths:
        files += sorted(p.rglob("*.md")) if p.is_dir() else [p]
    for md in files:
        one = guarded(partial(_score, linter, md, rewrites),
                      lambda exc, md=md: report.failed.append((str(md), internal_message(exc))))
        if one is not None:  # a file's scores count only when the whole file was scored
            report.add(one)
    return report


def _score(linter, md: Path, rewrites: bool) -> Report:
    """One labeled file's hits, misses and fix checks. A sidecar may limit what its labels speak
    for (`scored: [blame, hindsight]`: findings of other categories are neither right nor wrong)
    and say that a label marks its whole sentence (`match: sentence`: a finding anywhere in the
    sentence hits it), as the sidecars of real post-mortems labeled sentence by sentence do."""
    report = Report()
    text = md.read_text(encoding="utf-8-sig")  # offsets in the text without a BOM, as Document.source
    data = _sidecar(md)
    expected = annotations(md, text, data)
    scored = set(data["scored"]) if "scored" in data else None
    if data.get("match", "span") == "sentence":
        expected = [(c, *_sentence_around(text, s, e)) for c, s, e in expected]
    elif data.get("match", "span") != "span":
        raise InputError(f"{md.with_suffix('.expect.yaml')}: `match` is `span` or `sentence`, not {data['match']!r}")
    result = linter.lint_text(text, str(md))
    report.problems.extend(result.problems)
    doc = result.document
    report.documents += 1
    report.labeled = set(MEASURED) if scored is None else scored & set(MEASURED)
    found = [f for f in result.findings if f.category in report.labeled]
    hit = [False] * len(expected)
    for f in found:
        matched = False
        for i, (cat, s, e) in enumerate(expected):
            if cat == f.category and _overlaps(f.start, f.end, s, e):
                hit[i] = matched = True
        if not matched:
            report.scores[f.category].fp += 1
            report.misses.append(Miss("fp", f.category, str(md), doc.position(f.start)[0], f.text))
    for (cat, s, e), ok in zip(expected, hit, strict=True):
        if cat not in report.labeled:
            continue
        if ok:
            report.scores[cat].tp += 1
        else:
            report.scores[cat].fn += 1
            report.misses.append(Miss("fn", cat, str(md), doc.position(s)[0], text[s:e]))
    if rewrites:
        check_fixes(report, linter, text, str(md), result.findings)
    return report


def check_fixes(report: Report, linter, text: str, path: str, findings) -> None:
    """Per flagged sentence: does a finding in it carry an edit, and does its first edit (the
    rewrite of the whole sentence, where there is one) leave the sentence with no finding in a
    scored category and pass the mechanical checks (`fixcheck.problems`)?"""
    fixable = [f for f in findings if f.category in FIXABLE]
    sentences: dict[tuple[int, int], list] = {}
    for f in fixable:
        sentences.setdefault((_sentence_start(text, f.start), _sentence_end(text, f.start)), []).append(f)
    for (s, e), group in sorted(sentences.items()):
        report.fixable += 1
        if any(f.fixes for f in group):
            report.with_fix += 1
        owner, fix = next(((f, x) for f in group for x in f.fixes if x.edits), (None, None))
        if fix is None:
            report.misses.append(Miss("no-rewrite", group[0].category, path, text.count("\n", 0, s) + 1,
                                      text[s:e].strip()))
            continue
        report.with_edit += 1
        s = min(s, _sentence_start(text, min(x.start for x in fix.edits)))
        e = max(e, _sentence_end(text, max(x.end for x in fix.edits)))
        growth = sum(len(x.new_text) - (x.end - x.start) for x in fix.edits)
        fixed = apply_edits(text, fix.edits)
        lo, hi = s, e + growth
        left = [g for g in linter.lint_text(fixed, path).findings
                if g.category in FIXABLE and g.start < hi and lo < g.end]
        line = text.count("\n", 0, owner.start) + 1
        near = [f for f in fixable if f.start < e and s < f.end]  # the findings of every sentence rewritten
        # the hits merged into a finding ("an accident waiting to happen" beside "In retrospect,")
        # are judged words too
        merged = [replace(f, text=text[r.start:r.end], related=[]) for f in near for r in f.related]
        broke = problems(text[s:e], fixed[lo:hi], owner,
                         droppable_words(text[s:e], near + merged) | agent_words(linter, text[s:e], near))
        verbs = [] if text[s:e].lstrip().startswith("#") else finite_verbs(linter, text[s:e])  # (a heading has none)
        after = fixed[lo:hi]
        if verbs and not finite_verbs(linter, after) and not any(
                re.search(rf"\b{re.escape(v)}\b", after) for v in verbs):
            broke.append("no finite verb with a subject left")
        if not broke:
            report.checked_ok += 1
        else:
            report.misses.append(Miss("check", owner.category, path, line,
                                      f"{text[s:e].strip()!r} -> {fixed[lo:hi].strip()!r}: {'; '.join(broke)}"))
        if not left:
            report.relinted_clean += 1
        else:
            what = ", ".join(f"{g.rule}: {g.text!r}" for g in left)
            report.misses.append(Miss("relint", owner.category, path, line,
                                      f"{fixed[lo:hi].strip()!r} still has {what}"))


def agent_words(linter, sentence: str, findings) -> set[str]:
    """The words of the person a blame finding makes the agent (its subject, the "by" phrase of a
    passive, the possessor of a fault noun): an agentless rewrite leaves them out by design
    ("Our colleague in the Lisbon office set the wrong time zone" → "The wrong time zone was set").
    Relative clauses and other clauses inside the phrase are not the person and stay counted."""
    spans = []
    for f in findings:
        if f.category != "blame" or not f.text:
            continue
        at = sentence.find(f.text)
        if at >= 0:
            spans.append((at, at + len(f.text)))
    if not spans:
        return set()
    doc = linter.analyzer.docs([sentence])[0]
    out: set[str] = set()
    people = []
    for t in doc:
        if not any(a <= t.idx < b for a, b in spans):
            continue
        people.append(t)
        if t.dep_ in ("acomp", "attr", "dobj", "xcomp") and t.head.lemma_ in ("be", "get", "grow", "become"):
            people += [c for c in t.head.children if c.dep_ == "nsubj"]  # "Ops were lazy": whom the verdict is about
        if t.pos_ == "NOUN":  # "the carelessness of one engineer", "inattention by the duty engineer"
            people += [g for c in t.children if c.dep_ == "prep" and c.lower_ in ("of", "by", "on", "from")
                       for g in c.children if g.dep_ == "pobj"]
    for t in people:
        person = t.dep_ in ("nsubj", "poss") or (t.dep_ == "pobj" and (
            t.head.dep_ == "agent" or t.head.head.pos_ == "NOUN" and t.head.lower_ in ("of", "by", "on", "from")
            # where fault "lies": "rests with the treasury dealer who …"
            or t.head.lower_ in ("with", "on", "to") and t.head.head.lemma_.lower() in ("lie", "rest", "sit", "belong", "fall")))
        if not person or t.pos_ not in ("NOUN", "PROPN", "PRON"):
            continue
        skip = {x.i for c in t.children if c.dep_ in ("relcl", "acl", "advcl") for x in c.subtree}
        out |= {x.text.lower() for x in t.subtree if x.i not in skip and not x.is_punct}
    return out


LEAD_RE = re.compile(r"^(?:[-*+>|]|\d+[.)])?\s*(?:\[[ xX]\]\s*)?(?:\*\*[^*\n]+\*\*\s*)?")


def finite_verbs(linter, sentence: str) -> list[str]:
    """The finite verbs with a subject in the parse of the sentence ("the page was not acted on"),
    or its imperative verb ("Add a check …"); [] for a fragment ("the page not acted on"). A
    rewrite that keeps one of the original's verbs as it was counts as keeping the clause (the
    small model's tags change with the words around a verb)."""
    plain = LEAD_RE.sub("", sentence.strip())  # a list marker, a checkbox, an owner label
    plain = re.sub(r"\[[^\]\n]*\]", "it", plain).strip(" -*|>\t")
    if not plain:
        return []
    doc = linter.analyzer.docs([plain])[0]
    out = []
    for t in doc:
        head = t.head if t.dep_ in ("aux", "auxpass") else t
        if t.tag_ in ("VBD", "VBZ", "VBP", "MD") and any(  # (the parse may hang the subject on the auxiliary)
                c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for c in (*head.children, *t.children)):
            out.append(t.text)
        elif t.tag_ == "VB" and t.dep_ == "ROOT" and not any(c.dep_ in ("nsubj", "aux") for c in t.children):
            out.append(t.text)  # an imperative
    return out


def _sentence_start(text: str, pos: int) -> int:
    cut = max(text.rfind(c, 0, pos) for c in ".!?\n")
    return cut + 1


def _sentence_end(text: str, pos: int) -> int:
    ends = [i for i in (text.find(c, pos) for c in ".!?\n") if i >= 0]
    return min(ends) if ends else len(text)


def _sentence_around(text: str, s: int, e: int) -> tuple[int, int]:
    """The sentence (or line) that holds text[s:e]: cut at a full stop followed by a space ("v1.2"
    does not end one) or at a line break."""
    start = max((m.end() for m in SENTENCE_END_RE.finditer(text, 0, s)), default=0)
    m = SENTENCE_END_RE.search(text, e)
    return start, m.start() + 1 if m else len(text)


def render_text(report: Report, verbose: bool = False) -> str:
    lines = [f"{'category':<18} {'tp':>4} {'fp':>4} {'fn':>4} {'precision':>10} {'recall':>8}"]
    for cat, s in report.scores.items():
        if cat not in report.labeled:
            lines.append(f"{cat:<18} {'not labeled in these documents':>33}")
            continue
        lines.append(f"{cat:<18} {s.tp:>4} {s.fp:>4} {s.fn:>4} {s.precision:>10.3f} {s.recall:>8.3f}")
    lines.append("")
    lines.append(
        f"{report.documents} documents; " + rewrite_figures(report))
    for problem in report.problems:
        lines.append(f"problem: {problem}")
    for path, error in report.failed:
        lines.append(f"not scored: {path}: {error}")
    if verbose:
        lines.append("")
        for m in sorted(report.misses, key=lambda m: (m.category, m.kind, m.path, m.line)):
            lines.append(f"{m.kind.upper()} {m.category:<16} {m.path}:{m.line}: {m.text[:110]}")
    return "\n".join(lines) + "\n"


def rewrite_figures(report: Report) -> str:
    """The three rewrite figures of a run, in one line."""
    share = report.with_edit / report.fixable if report.fixable else 1.0
    checked = report.checked_ok / report.with_edit if report.with_edit else 1.0
    grammar = "" if grammar_available() else " (no grammar checker installed)"
    return (f"{report.fixable} sentences flagged in {', '.join(FIXABLE)}: {report.with_edit} carry a rewrite "
            f"({share:.1%}); re-lint with no finding in those categories: "
            f"{report.relinted_clean}/{report.with_edit} ({report.relint_rate:.1%}); "
            f"pass the rewrite checks{grammar}: {report.checked_ok}/{report.with_edit} ({checked:.1%})")


def check_floors(report: Report, floors: dict) -> list[str]:
    """Messages for each category (or the re-lint rate) below its floor."""
    failures = [f"a rule failed: {p}" for p in report.problems]
    for cat, limits in (floors.get("categories") or {}).items():
        s = report.scores.get(cat)
        if s is None:
            continue
        if cat not in report.labeled:
            failures.append(f"{cat} has a floor but is not labeled in these documents (their sidecars' `scored:`)")
            continue
        for metric in ("precision", "recall"):
            if metric in limits and getattr(s, metric) < limits[metric]:
                failures.append(f"{cat} {metric} {getattr(s, metric):.3f} is below the floor {limits[metric]}")
    if "rewrite_clean" in floors and report.relint_rate < floors["rewrite_clean"]:
        failures.append(f"share of rewrites that re-lint clean {report.relint_rate:.3f} is below the floor "
                        f"{floors['rewrite_clean']}")
    if "with_edit" in floors and report.fixable and report.with_edit / report.fixable < floors["with_edit"]:
        failures.append(f"share of flagged sentences with a rewrite {report.with_edit / report.fixable:.3f} is "
                        f"below the floor {floors['with_edit']}")
    if "with_fix" in floors and report.fixable and report.with_fix / report.fixable < floors["with_fix"]:
        failures.append(f"share of findings with a fix {report.with_fix / report.fixable:.3f} is below "
                        f"the floor {floors['with_fix']}")
    return failures
