"""Drafts of the corpus's held-out summaries: who each sentence names, and ten notes in full (docs/quality.md).

    python benchmarks/heldout_drafts.py            # the subject figures
    python benchmarks/heldout_drafts.py --notes    # also the ten drafts, as markdown

The subject figure reads a sentence's subject the way the evaluation does ("Client", "Clinician", "Clinician and
client", a role word) and compares it with the gold actor of the clauses the sentence rests on: "Client" for the
clinician's act or another person's, "Clinician" for the client's, "Clinician and client" for one person's.
"""
from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

import afternote
from afternote.reading.corpus import load
from afternote.reading.guard import roles

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
NOTES = [("G-003", "soap"), ("G-010", "dap"), ("G-018", "birp"), ("G-027", "girp"), ("G-036", "soap"),
         ("H-002", "pie"), ("H-011", "dap"), ("H-025", "birp"), ("H-038", "soapie"), ("H-053", "sirp")]
# what the client takes part in or is given: "Client practiced", "Client was given 988" name the client rightly
_CLIENT_TAKES_PART = re.compile(r"(the )?client (was|were) (given|provided|offered|referred|taught|encouraged|asked|"
                                r"told|shown|seen|taken|\w+ed (to|by|about|of|before|after|back)\b)|"
                                r"(the )?client (practiced|agreed|participated|completed|rehearsed|role-played|engaged)",
                                re.I)
_JOINT = re.compile(r"clinician and client (reviewed|discussed|practiced|built|agreed|explored|processed|"
                    r"role-played|identified|created|developed|made|completed|set|planned|worked|wrote|talked)", re.I)


def _subject_pattern() -> re.Pattern:
    people = sorted(set(roles().values()), key=len, reverse=True)
    return re.compile(r"^(?:[\w ]{1,25}:\s*)?(clinician and client|client and clinician|the client|client|"
                      r"the clinician|clinician|this writer|therapist|" + "|".join(map(re.escape, people)) + r")\b",
                      re.I)


def _named(subject: str) -> str:
    subject = subject.lower()
    if subject in ("clinician and client", "client and clinician"):
        return "both"
    if subject in ("client", "the client"):
        return "client"
    if subject in ("clinician", "the clinician", "this writer", "therapist"):
        return "clinician"
    return "other"


def wrong_subject(text: str, named: str, actors: set[str]) -> bool:
    if actors == {"none"} or named in actors:
        return False
    if named == "client":
        return not _CLIENT_TAKES_PART.match(text)
    if named == "both":
        return not _JOINT.match(text)
    if named == "clinician":
        return True
    return False  # a role word for a client's report is not a wrong person


def subject_figures(cases) -> Counter:
    pattern, counts = _subject_pattern(), Counter()
    for case in cases:
        for section in afternote.draft(case.summary, "soap").sections:
            for sentence in section.sentences:
                gold = [c for c in case.clauses if any(c.start < e and s < c.end for s, e in sentence.sources)]
                if not gold:
                    continue
                counts["sentences"] += 1
                match = pattern.match(sentence.text)
                if not match:
                    continue
                counts["with a person as subject"] += 1
                counts["wrong person"] += wrong_subject(sentence.text, _named(match.group(1)),
                                                        {c.actor_kind for c in gold})
    return counts


def notes_markdown(cases) -> str:
    by_id = {c.id: c for c in cases}
    out = []
    for case_id, fmt in NOTES:
        case = by_id[case_id]
        note = afternote.draft(case.summary, fmt)
        out += [f"### {case_id} ({case.style}, {case.modality}) as {fmt.upper()}", "", "Key points:", ""]
        out += ["    " + line for line in case.summary.splitlines()] + ["", "Draft:", ""]
        out += ["    " + line for line in note.to_text().splitlines()] + [""]
    return "\n".join(out)


def main() -> None:
    cases = load(CORPUS, "heldout")
    every = "".join(sorted({c.author for c in cases}))
    for authors in [*every, every]:
        counts = subject_figures([c for c in cases if c.author in authors])
        share = counts["wrong person"] / max(counts["sentences"], 1)
        print(f"held-out {authors}: {counts['sentences']} sentences, {counts['with a person as subject']} with a "
              f"person as subject, {counts['wrong person']} naming the wrong person ({share:.1%} of sentences)")
    if "--notes" in sys.argv:
        print(notes_markdown(cases))


if __name__ == "__main__":
    main()
