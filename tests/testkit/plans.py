"""Treatment-plan documents for tests: a complete plan with two goals, and ways to make it incomplete."""
from __future__ import annotations

import copy
import datetime as dt


def complete_plan(start: dt.date = dt.date(2026, 1, 5)) -> dict:
    """A plan an auditor would accept: one problem, two goals with measurable objectives, interventions with their
    frequency, the client's agreement."""
    return {
        "start_date": start.isoformat(),
        "agreement": "verbal", "agreement_date": start.isoformat(),
        "problems": [{
            "text": "Generalized anxiety interfering with work",
            "goals": [
                {"text": "Reduce anxiety at work", "client_words": "I want to stop dreading Mondays",
                 "objectives": [{"text": "GAD-7 score below 10", "baseline": "GAD-7 16", "target": "below 10",
                                 "target_date": (start + dt.timedelta(days=90)).isoformat(), "measure": "GAD-7"}]},
                {"text": "Sleep at least 7 hours a night",
                 "objectives": [{"text": "Sleep log shows 7 hours on 5 nights a week", "baseline": "5 hours",
                                 "target": "7 hours, 5 nights a week",
                                 "target_date": (start + dt.timedelta(days=60)).isoformat(), "measure": "sleep log"}]},
            ],
            "interventions": [{"modality": "CBT", "frequency": "weekly", "duration": "12 weeks"}],
        }],
    }


def without(plan: dict, *paths: str) -> dict:
    """A copy of `plan` with the fields at `paths` emptied, e.g. 'problems.0.goals.1.objectives.0.target'."""
    out = copy.deepcopy(plan)
    for path in paths:
        *parents, last = path.split(".")
        node = out
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        if last.isdigit():
            node[int(last)] = {}
        else:
            node[last] = "" if isinstance(node[last], str) else []
    return out
