"""A treatment plan's content as a small typed document, and what makes it complete (pure: no database).

problems -> goals (the client's own words allowed, quoted) -> measurable objectives (baseline, target, target date,
the measure that tracks it) and, per problem, interventions (modality, frequency, duration); with the date the plan
was established and the client's agreement (verbal or signed, and when). Goals, objectives and interventions keep
their `id` from version to version, so a note can link to the objective it addressed and the link survives edits.

The client's diagnoses are not part of this document: another part of the chart holds them, and the plan lists the
client's active ones beside it (see workflow/plans.py, `active_diagnoses`).
"""
from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import asdict, dataclass, field

from afternote.errors import InputError
from afternote.reading.measures import instrument_named

AGREEMENT_KINDS = ("verbal", "signed")
TEXT_LIMIT = 2000  # one goal, objective or intervention: a few sentences
SHORT_LIMIT = 200  # a baseline, target, measure, modality, frequency or duration
MAX_ROWS = 50  # of each kind under one parent: a plan a person can read
EARLIEST = dt.date(2000, 1, 1)


def new_item_id() -> str:
    return uuid.uuid4().hex[:12]


@dataclass
class Objective:
    id: str = ""
    text: str = ""
    baseline: str = ""
    target: str = ""
    target_date: dt.date | None = None
    measure: str = ""  # the instrument that tracks it, e.g. "PHQ-9"


@dataclass
class Goal:
    id: str = ""
    text: str = ""
    client_words: str = ""  # the goal as the client said it, shown in quotation marks
    objectives: list[Objective] = field(default_factory=list)


@dataclass
class Intervention:
    id: str = ""
    modality: str = ""
    frequency: str = ""
    duration: str = ""


@dataclass
class Problem:
    id: str = ""
    text: str = ""
    goals: list[Goal] = field(default_factory=list)
    interventions: list[Intervention] = field(default_factory=list)


@dataclass
class PlanDocument:
    start_date: dt.date | None = None
    problems: list[Problem] = field(default_factory=list)
    agreement: str = ""  # how the client agreed: "verbal" or "signed" ("" not yet)
    agreement_date: dt.date | None = None

    def goals(self) -> list[Goal]:
        return [g for p in self.problems for g in p.goals]

    def objectives(self) -> list[tuple[Goal, Objective]]:
        return [(g, o) for g in self.goals() for o in g.objectives]

    def to_dict(self) -> dict:
        out = asdict(self)
        return _dates_to_text(out)


def _dates_to_text(value):
    if isinstance(value, dict):
        return {k: _dates_to_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_dates_to_text(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _text(value, where: str, limit: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InputError(f"{where} is text; send it as a string.")
    if "\x00" in value:
        raise InputError(f"{where} holds a NUL character, which cannot be stored. Remove it and save again.")
    value = value.strip()
    if len(value) > limit:
        raise InputError(f"{where} is at most {limit} characters; shorten it and save again.")
    return value


def _date(value, where: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            raise InputError(f"{where} is a date (YYYY-MM-DD).") from None
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise InputError(f"{where} is a date (YYYY-MM-DD).")
    if not EARLIEST <= value <= dt.date(2100, 12, 31):
        raise InputError(f"{where} is between {EARLIEST.isoformat()} and 2100-12-31.")
    return value


def _rows(value, where: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError(f"{where} is a list.")
    if len(value) > MAX_ROWS:
        raise InputError(f"{where} has more than {MAX_ROWS} rows; a plan keeps at most {MAX_ROWS} of each.")
    for row in value:
        if not isinstance(row, dict):
            raise InputError(f"{where} holds objects (one per row).")
    return value


def _id(value) -> str:
    """An item's id as sent, when it looks like one of ours; a new one otherwise (a new row)."""
    if isinstance(value, str) and 1 <= len(value) <= 32 and value.isalnum():
        return value
    return new_item_id()


def parse(data: dict) -> PlanDocument:
    """A plan document from its JSON form (as the API and the form send it): InputError names the field and says
    what to do. Rows left wholly empty are dropped (an added row never filled in); new rows get new ids."""
    if not isinstance(data, dict):
        raise InputError("A treatment plan is an object with `start_date`, `problems`, `agreement` and "
                         "`agreement_date`.")
    problems = []
    for i, p in enumerate(_rows(data.get("problems"), "problems"), 1):
        where = f"Problem {i}"
        goals = []
        for j, g in enumerate(_rows(p.get("goals"), f"{where}'s goals"), 1):
            gw = f"{where}, goal {j}"
            objectives = [Objective(_id(o.get("id")), _text(o.get("text"), f"{gw}, objective {k}", TEXT_LIMIT),
                                    _text(o.get("baseline"), f"{gw}, objective {k}'s baseline", SHORT_LIMIT),
                                    _text(o.get("target"), f"{gw}, objective {k}'s target", SHORT_LIMIT),
                                    _date(o.get("target_date"), f"{gw}, objective {k}'s target date"),
                                    _text(o.get("measure"), f"{gw}, objective {k}'s measure", SHORT_LIMIT))
                          for k, o in enumerate(_rows(g.get("objectives"), f"{gw}'s objectives"), 1)]
            goals.append(Goal(_id(g.get("id")), _text(g.get("text"), gw, TEXT_LIMIT),
                              _text(g.get("client_words"), f"{gw}, in the client's words", TEXT_LIMIT),
                              [o for o in objectives if _filled(o)]))
        interventions = [Intervention(_id(v.get("id")),
                                      _text(v.get("modality"), f"{where}, intervention {k}'s modality", SHORT_LIMIT),
                                      _text(v.get("frequency"), f"{where}, intervention {k}'s frequency",
                                            SHORT_LIMIT),
                                      _text(v.get("duration"), f"{where}, intervention {k}'s duration", SHORT_LIMIT))
                         for k, v in enumerate(_rows(p.get("interventions"), f"{where}'s interventions"), 1)]
        problem = Problem(_id(p.get("id")), _text(p.get("text"), where, TEXT_LIMIT), [g for g in goals if _filled(g)],
                          [v for v in interventions if _filled(v)])
        if _filled(problem):
            problems.append(problem)
    agreement = _text(data.get("agreement"), "The client's agreement", 10)
    if agreement and agreement not in AGREEMENT_KINDS:
        raise InputError("The client's agreement is 'verbal' or 'signed' (or empty until they have agreed).")
    doc = PlanDocument(_date(data.get("start_date"), "The start date"), problems, agreement,
                       _date(data.get("agreement_date"), "The date of the client's agreement"))
    _unique_ids(doc)
    return doc


def _filled(item) -> bool:
    """Whether a row holds anything typed (an id alone is not content)."""
    values = asdict(item)
    values.pop("id", None)
    return any(v not in ("", None, []) for v in values.values())


def _unique_ids(doc: PlanDocument) -> None:
    """Two rows sent with one id (a copied row) would make a note's link ambiguous: the later one gets a new id."""
    seen: set[str] = set()
    for problem in doc.problems:
        for item in [problem, *problem.goals, *problem.interventions, *(o for g in problem.goals for o in g.objectives)]:
            if item.id in seen:
                item.id = new_item_id()
            seen.add(item.id)


def missing(doc: PlanDocument) -> list[str]:
    """What the plan lacks before it can be signed, each in words that say where to fill it; empty when complete.
    What an auditor checks: a problem with a goal, each goal a measurable objective with a target and a target
    date, interventions with their frequency, the date established and the client's agreement."""
    out = []
    if doc.start_date is None:
        out.append("the start date (when the plan was established)")
    if not doc.problems:
        out.append("a problem, with at least one goal")
    for i, problem in enumerate(doc.problems, 1):
        name = f"problem {i}"
        if not problem.text:
            out.append(f"{name}: what the problem is")
        if not problem.goals:
            out.append(f"{name}: a goal")
        if not problem.interventions:
            out.append(f"{name}: an intervention (modality and frequency)")
        for j, goal in enumerate(problem.goals, 1):
            where = f"{name}, goal {j}"
            if not goal.text and not goal.client_words:
                out.append(f"{where}: the goal's words")
            if not goal.objectives:
                out.append(f"{where}: a measurable objective")
            for k, objective in enumerate(goal.objectives, 1):
                at = f"{where}, objective {k}"
                if not objective.text:
                    out.append(f"{at}: what will change")
                if not objective.target:
                    out.append(f"{at}: its target")
                if objective.target_date is None:
                    out.append(f"{at}: its target date")
        for k, intervention in enumerate(problem.interventions, 1):
            if not intervention.modality:
                out.append(f"{name}, intervention {k}: its modality")
            if not intervention.frequency:
                out.append(f"{name}, intervention {k}: its frequency")
    if not doc.agreement or doc.agreement_date is None:
        out.append("the client's agreement (verbal or signed) and its date")
    return out


def goal_line(goal: Goal) -> str:
    """A goal as a note quotes it: the clinician's words, and the client's own in quotation marks."""
    if goal.text and goal.client_words:
        return f'{goal.text} (in the client\'s words: "{goal.client_words}")'
    return goal.text or f'"{goal.client_words}"'


def tracked_by(objective: Objective) -> str | None:
    """The key of the instrument tracking an objective ("phq9"): the one its measure names, else one its own words
    name ("PHQ-9 below 10"); None for a measure that is no instrument ("sleep log")."""
    return instrument_named(objective.measure) or instrument_named(objective.text)
