"""Billing checks: session time recorded, and the CPT code its minutes and service suggest (data/cpt.toml)."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from afternote.errors import InputError
from afternote.note import Finding, Note
from afternote.plugins import hookimpl
from afternote.session import Session


@dataclass(frozen=True)
class CptSuggestion:
    """What to bill: `codes` in billing order (an add-on repeated once per unit), empty when nothing is billable.

    `needs_minutes` is True when the code depends on time and the minutes are unknown; `least_minutes` is the
    shortest billable length for the service, to explain a session that is too short.
    """

    service: str
    minutes: int | None
    codes: tuple[str, ...] = ()
    modifier: str | None = None
    needs_minutes: bool = False
    least_minutes: int | None = None

    @property
    def billable(self) -> bool:
        return bool(self.codes)

    def describe(self) -> str:
        """The codes as a biller writes them: '90837-95', '90839 + 90840 x2'."""
        if not self.codes:
            return ""
        base = self.codes[0] + (f"-{self.modifier}" if self.modifier else "")
        add_ons = self.codes[1:]
        if not add_ons:
            return base
        add_on = add_ons[0] + (f"-{self.modifier}" if self.modifier else "")
        return f"{base} + {add_on}" + (f" x{len(add_ons)}" if len(add_ons) > 1 else "")


@cache
def cpt_table() -> dict:
    with open(Path(__file__).parent / "data" / "cpt.toml", "rb") as handle:
        return tomllib.load(handle)


def session_service(session: Session) -> str:
    """The service billed: the session's own, else the one its modality implies, else individual psychotherapy."""
    if session.service:
        return session.service
    return cpt_table()["services_by_modality"].get(session.modality or "", "psychotherapy")


def _matches(rule: dict, service: str, minutes: int | None, client_present: bool | None) -> bool:
    if service not in rule["services"]:
        return False
    if "client_present" in rule and rule["client_present"] != (client_present is not False):
        return False
    if "minutes" not in rule:
        return True
    least, most = rule["minutes"][0], (rule["minutes"][1] if len(rule["minutes"]) > 1 else None)
    return minutes is not None and minutes >= least and (most is None or minutes <= most)


def suggest_cpt(service: str, minutes: int | None, client_present: bool | None = None,
                telehealth: str | None = None) -> CptSuggestion:
    """The CPT code(s) for a session of `service` lasting `minutes`, per data/cpt.toml."""
    table = cpt_table()
    rules = [r for r in table["rules"] if service in r["services"]]
    timed = [r for r in rules if "minutes" in r]
    modifier = table["modifiers"].get(telehealth) if telehealth else None
    least = min((r["minutes"][0] for r in timed), default=None)
    for rule in rules:
        if _matches(rule, service, minutes, client_present):
            codes = [rule["code"]]
            if "add_on" in rule and minutes is not None and minutes >= rule["add_on_from"]:
                units = 1 + (minutes - rule["add_on_from"]) // rule["add_on_every"]
                codes += [rule["add_on"]] * units
            return CptSuggestion(service, minutes, tuple(codes), modifier, least_minutes=least)
    return CptSuggestion(service, minutes, needs_minutes=bool(timed) and minutes is None, least_minutes=least)


def suggested_code(session: Session) -> str:
    """The suggestion for a session as a biller writes it ('90837-95'), '' when nothing is billable."""
    return suggest_cpt(session_service(session), session.minutes, session.client_present,
                       session.telehealth).describe()


_ONE = r"\d{4}[0-9A-Z](?:-[0-9A-Z]{2}){0,4}"
CONFIRMED = re.compile(rf"^{_ONE}(?: \+ {_ONE}(?: x\d{{1,2}})?)*$")


def confirmed_code(text: str | None) -> str | None:
    """The CPT code a clinician confirms at signing, as a biller writes it ('90837-95', '90839 + 90840 x2'), or
    None for a session not billed; InputError for anything else."""
    code = " ".join((text or "").upper().replace("+", " + ").split())
    code = re.sub(r"([0-9A-Z]) ?X ?(\d{1,2})$", r"\1 x\2", code)  # the add-on's count: "x2"
    if not code:
        return None
    if len(code) > 60 or not CONFIRMED.match(code):
        raise InputError("The CPT code given is not a CPT code as billed: five characters and any modifiers, for "
                         "example 90837-95, or 90839 + 90840 x2. Leave it empty if the session is not billed.")
    return code


def billing_findings(note: Note, statements, session: Session) -> list[Finding]:
    minutes = session.minutes
    findings: list[Finding] = []
    if minutes is None:
        findings.append(Finding(
            "session-time-missing", "warning", "Session length was not recorded.",
            hint="Enter the start and stop times or the total minutes: payers require them, and the CPT code "
                 "for psychotherapy depends on them."))
    service = session_service(session)
    suggestion = suggest_cpt(service, minutes, session.client_present, session.telehealth)
    name = cpt_table()["service_names"].get(service, service)
    if suggestion.billable:
        basis = f"{minutes} minutes of {name}" if minutes is not None else name
        if session.telehealth:
            basis += f", {session.telehealth} telehealth"
        findings.append(Finding(
            "cpt-suggested", "info", f"Suggested CPT code: {suggestion.describe()} ({basis}).",
            hint="Confirm the code against the service you provided and the payer's rules before billing."))
    elif not suggestion.needs_minutes and minutes is not None:
        findings.append(Finding(
            "not-billable", "warning",
            f"At {minutes} minutes, {name} is not billable: the shortest billable length is "
            f"{suggestion.least_minutes} minutes.",
            hint="Check the recorded times; if they are right, the session cannot be billed as this service."))
    return findings


@hookimpl
def register_checks(register):
    register(billing_findings)
