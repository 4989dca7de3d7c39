"""The labels a reading gives a clause (docs/annotation.md): below the formats, the reader and the writer alike."""
from __future__ import annotations

# The content categories of ../shared/eval/sections.json, in the order a note usually tells them.
CATEGORIES: tuple[str, ...] = (
    "context", "presenting", "observation", "measure", "risk", "safety",
    "intervention", "response", "assessment", "goal", "plan",
)
# Who is a clause's subject; "other" carries the role as typed ("other:mother").
ACTORS: tuple[str, ...] = ("client", "clinician", "both", "other", "none")
TIMES: tuple[str, ...] = ("session", "since_last", "history", "planned", "standing")
RISK_KINDS: tuple[str, ...] = ("suicidal", "homicidal", "self_harm", "violence", "abuse", "psychosis", "overdose")
POLARITIES: tuple[str, ...] = ("endorsed", "denied", "passive", "history", "uncertain")
EXPERIENCERS: tuple[str, ...] = ("client", "other")
