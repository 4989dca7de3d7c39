"""The chart in a real browser: details kept, a diagnosis found by words and added as primary, insurance whose
authorization warns on the client's page and on Today, then a note signed with the CPT code prefilled and the
diagnosis beside it; the client's page (its forms open) has no serious accessibility violation."""
from __future__ import annotations

import re

import pytest


@pytest.fixture(scope="module")
def page(own_practice):
    return own_practice  # a practice of its own: the other browser tests set up theirs


def test_the_chart_is_kept_and_sealed_with_the_note(page, shoot, no_serious_violations):
    page.goto(page.base + "/clients")
    page.get_by_label("Name", exact=True).fill("Morgan Lee")
    page.get_by_role("button", name="Add client").click()
    client_url = page.url

    page.get_by_text("Edit details").click()
    page.get_by_label("Pronouns").fill("they/them")
    page.locator("#contact-name").fill("Sam Lee")
    page.get_by_label("Relationship").fill("parent")
    page.get_by_role("button", name="Save details").click()
    assert "Sam Lee (parent)" in page.locator("#chart-details").inner_text()

    page.get_by_label("Find a code by words or code").fill("generalized anxiety")
    page.get_by_role("button", name="Search ICD-10-CM").click()
    assert "generalized" not in page.url and page.url.endswith("/diagnoses/search")  # a POST: words stay out
    page.get_by_label("F41.1 Generalized anxiety disorder").check()
    page.get_by_label("Primary diagnosis").check()
    page.get_by_role("button", name="Add diagnosis").click()
    assert "Generalized anxiety disorder (primary)" in page.locator("#diagnoses").inner_text()

    page.get_by_text("Edit insurance").click()
    page.get_by_label("Payer").fill("Acme Health")
    page.get_by_label("Sessions authorized").fill("2")
    page.get_by_role("button", name="Save insurance").click()
    page.get_by_label("Date", exact=True).fill("2026-01-05")
    page.get_by_label("Start").fill("10:00")
    page.get_by_label("or minutes").fill("53")
    page.get_by_role("button", name="Add session and write its note").click()
    page.wait_for_url(re.compile(r"/appointments/[0-9a-f]{32}/note$"))
    page.get_by_label("What happened in the session, in your words").fill(
        "Pt anxious at work. SI/HI neg. Used CBT thought record. Pt engaged. Plan: f/u 1wk.")
    page.wait_for_url(re.compile(r"/notes/[0-9a-f]{32}$"))
    page.wait_for_selector("#draft .note-section")
    page.reload()  # the sign form as the page first shows a draft
    cpt = page.get_by_label("CPT code you confirm")
    assert cpt.input_value() == "90837"
    assert "F41.1 Generalized anxiety disorder (primary)" in page.locator("#sign-diagnoses").inner_text()
    cpt.fill("90834")
    for box in page.locator("#sign-form input[name=acknowledged]").all():
        box.check()
    page.get_by_label("Your password, to confirm").fill(page.password)
    page.get_by_role("button", name="Sign note").click()
    assert page.locator("#note-status").inner_text().startswith("Signed")
    sealed = page.locator("#signed-billing").inner_text()
    assert "CPT 90834" in sealed and "F41.1 Generalized anxiety disorder (primary)" in sealed
    assert "Integrity verified" in page.locator("#integrity").inner_text()

    page.goto(page.base + "/")
    assert "1 authorized session left of 2" in page.locator("#authorizations").inner_text()
    page.goto(client_url)
    assert "1 authorized session left of 2" in page.locator("#authorization-warning").inner_text()
    for summary in ("Edit details", "Edit insurance"):
        page.get_by_text(summary).click()
    page.get_by_label("Find a code by words or code").fill("adjustment")
    page.get_by_role("button", name="Search ICD-10-CM").click()
    shoot(page, "client-chart")
    no_serious_violations(page)
