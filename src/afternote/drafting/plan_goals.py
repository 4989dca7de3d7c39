"""A note's goal line from the treatment-plan goals it links (pure: note content in, note content out).

The linked goals are the clinician's own words from the signed plan, so they are quoted as written, never
rewritten; each sentence says it came from the plan (`from_plan`), not from the key points (no source spans). They
go first in the format's goal section (GIRP's Goal), else in the first section that holds the "goal" category
(SOAP's Assessment, BIRP's Behavior ...). A section the clinician rewrote by hand is left as they wrote it.

The checks' "no treatment-plan goal" finding then follows the plan: dropped once a goal is linked, and dropped when
the client has no signed plan (that is one finding per client, on the client's page and Today, not one per note).
"""
from __future__ import annotations

from afternote.formats import Format

NO_GOAL = "no-treatment-goal"
TICK_HINT = ("Tick the treatment-plan goals and objectives this session addressed (under Treatment plan on the note "
             "screen) and write the progress toward each: it links the note to the plan, as auditors expect.")


def goal_section(fmt: Format) -> str | None:
    """The key of the section a format writes its goal line in, if it has one."""
    keys = [s.key for s in fmt.sections]
    if "goal" in keys:
        return "goal"
    return next((s.key for s in fmt.sections if "goal" in s.categories), None)


def _clause(text: str) -> str:
    return text.strip().rstrip(".;: ")


def sentences(links: dict) -> list[dict]:
    """The goal line's sentences: one per linked goal, one per linked objective with its progress."""
    out = []
    for goal in links.get("goals", []):
        out.append(f"Treatment-plan goal addressed: {_clause(goal['text'])}.")
        for objective in goal.get("objectives", []):
            line = f"Objective: {_clause(objective['text'])}"
            if objective.get("target"):
                line += f" (target: {_clause(objective['target'])})"
            progress = _clause(objective.get("progress") or "")
            out.append(f"{line}; progress: {progress}." if progress else f"{line}.")
    return [{"text": text, "sources": [], "supported": True, "from_plan": True} for text in out]


def place(content: dict, fmt: Format) -> None:
    """Write the linked goals (content["plan_links"]) into the goal section, in place of those placed before."""
    key = goal_section(fmt)
    section = next((s for s in content.get("sections", []) if s["key"] == key), None)
    if section is None or section.get("edited"):
        return
    drafted = [s for s in section.get("sentences", []) if not s.get("from_plan")]
    placed = sentences(content.get("plan_links") or {})
    if not placed and len(drafted) == len(section.get("sentences", [])):
        return  # nothing linked, nothing placed before: the section stays exactly as drafted
    if not drafted and not placed:
        section.update(sentences=[], empty=True, text=section.get("empty_text") or section.get("text", ""))
        return
    if not drafted and section.get("empty"):
        section["empty_text"] = section.get("text", "")  # kept, so unlinking every goal says it again
    section.update(sentences=placed + drafted, empty=False, text=" ".join(s["text"] for s in placed + drafted))


def plan_findings(findings: list[dict], *, has_plan: bool, linked: bool) -> list[dict]:
    """The note's findings as the plan settles them: no "no treatment-plan goal" finding when a goal is linked or
    when the client has no signed plan; with a plan and no link, it says how to link one."""
    if linked or not has_plan:
        return [f for f in findings if f.get("code") != NO_GOAL]
    return [{**f, "hint": TICK_HINT} if f.get("code") == NO_GOAL else f for f in findings]


def linked(content: dict) -> bool:
    return bool((content.get("plan_links") or {}).get("goals"))
