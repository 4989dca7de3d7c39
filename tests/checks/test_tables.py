"""The checks' tables (checks/data/) are edited by clinicians and billers: a bad edit fails here, not in a note."""
import re
import typing

from afternote import plugins
from afternote.checks.billing import cpt_table
from afternote.checks.completeness import completeness_table
from afternote.checks.risk import risk_table
from afternote.labels import CATEGORIES, POLARITIES, RISK_KINDS
from afternote.note import SEVERITIES
from afternote.session import Modality, Service


def test_cpt_rules_name_known_services_and_five_digit_codes():
    services = set(typing.get_args(Service))
    for rule in cpt_table()["rules"]:
        assert set(rule["services"]) <= services
        assert re.fullmatch(r"\d{5}", rule["code"])
        assert rule.get("minutes", [0])[0] <= rule.get("minutes", [0, 10_000])[-1]
    assert set(cpt_table()["services_by_modality"]) == set(typing.get_args(Modality))
    assert set(cpt_table()["service_names"]) == services


def test_completeness_elements_are_categories_with_valid_severities():
    for category, element in completeness_table()["elements"].items():
        assert category in CATEGORIES
        assert element["severity"] in SEVERITIES
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", element["code"])


def test_risk_table_covers_every_risk_kind():
    assert set(risk_table()["kinds"]) == set(RISK_KINDS)
    assert set(risk_table()["current_polarities"]) <= set(POLARITIES) - {"denied"}


def test_every_check_is_registered_through_the_plugin_hook():
    names = {check.__name__ for check in plugins.checks()}
    assert {"empty_sections", "missing_elements", "no_risk_assessment", "risk_without_safety_plan",
            "billing_findings", "unsupported_sentences", "summary_not_english"} <= names
