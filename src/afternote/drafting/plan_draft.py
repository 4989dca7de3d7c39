"""A treatment plan proposed from an intake's key points (pure: text in, a plan document's JSON form out).

The reader decides what each clause is; this only moves the clinician's own words into the plan's fields:
- a goal clause becomes a goal (a clause that is only a quotation becomes the goal in the client's words);
- a planned intervention (a plan or intervention clause that is planned or says how often) becomes an
  intervention: its frequency and duration are the words of the clause that say them ("weekly", "for 12 weeks"),
  its modality the rest of the clause; a follow-up appointment ("f/u 1wk") is not an intervention;
- the presenting concerns become the problem's text.
Nothing is invented: no objective, target, date, measure or agreement is proposed; those stay empty for the
clinician to fill, and signing refuses the plan until they do. A field longer than the plan allows is cut at its
limit (a run-on clause of key points), never reworded.
"""
from __future__ import annotations

import re

from afternote.plans import MAX_ROWS, SHORT_LIMIT, TEXT_LIMIT
from afternote.reading.reader import read_statements

FREQUENCY = re.compile(
    r"\b(?:daily|nightly|weekly|bi-?weekly|fortnightly|monthly|twice (?:a|per) (?:day|week|month)"
    r"|once (?:a|per) (?:day|week|month)|every (?:other )?(?:day|week|month)"
    r"|\d+\s*(?:x|times)\s*(?:/|a |per )?\s*(?:day|d|week|wk|month|mo))\b", re.I)
DURATION = re.compile(r"\b(?:for|x)\s*(\d+\s*(?:sessions?|weeks?|wks?|months?|mos?))\b", re.I)
FOLLOW_UP = re.compile(r"\b(?:f/u|follow[- ]?up|next (?:session|appointment)|return(?:s|ing)? in)\b", re.I)
STARTING = re.compile(r"^(?:will\s+)?(?:start|begin|continue|initiate)\s+", re.I)
QUOTED = re.compile(r"""^\s*["'“‘](.+?)["'”’]\s*[.;,]?\s*$""")


def _bare(text: str) -> str:
    return text.strip().rstrip(".;,: ").strip()


def _goal(text: str) -> dict:
    quoted = QUOTED.match(text)
    if quoted:
        return {"text": "", "client_words": quoted.group(1).strip()[:TEXT_LIMIT], "objectives": []}
    return {"text": _bare(text)[:TEXT_LIMIT], "client_words": "", "objectives": []}


def _intervention(text: str) -> dict:
    frequency = FREQUENCY.search(text)
    duration = DURATION.search(text)
    rest = text
    for match in sorted(filter(None, (frequency, duration)), key=lambda m: m.start(), reverse=True):
        rest = rest[:match.start()] + " " + rest[match.end():]
    modality = STARTING.sub("", _bare(re.sub(r"\s+", " ", rest)))
    modality = re.sub(r"\s+(?:for|with|x)$", "", modality).strip(" ,;")
    return {"modality": (modality or _bare(text))[:SHORT_LIMIT], "frequency": frequency.group(0) if frequency else "",
            "duration": duration.group(1) if duration else ""}


def propose(key_points: str) -> dict:
    """The plan the key points propose, as the API and the form take it (no ids: new rows)."""
    statements = read_statements(key_points) if key_points.strip() else []
    goals, interventions, concerns = [], [], []
    for s in statements:
        if s.category == "goal":
            goals.append(_goal(s.text))
        elif s.category in ("plan", "intervention") and not FOLLOW_UP.search(s.text) and (
                s.time == "planned" or FREQUENCY.search(s.text)):
            interventions.append(_intervention(s.text))
        elif s.category == "presenting":
            concerns.append(_bare(s.text))
    problems = []
    if goals or interventions or concerns:
        problems.append({"text": "; ".join(concerns)[:TEXT_LIMIT], "goals": goals[:MAX_ROWS],
                         "interventions": interventions[:MAX_ROWS]})
    return {"start_date": None, "agreement": "", "agreement_date": None, "problems": problems}
