"""Measures over time in a real browser: three notes whose key points each type a PHQ-9 total appear as three
points on the client's chart and three rows of its table, and the page has no serious accessibility violation."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect


SESSIONS = [("2026-01-05", "PHQ-9 18"), ("2026-01-12", "phq9: 14/27"), ("2026-01-19", "PHQ-9 was 9 (down from 14)")]


@pytest.fixture(scope="module")
def page(own_practice):
    return own_practice


def test_three_phq9_totals_are_three_points_and_three_rows(page, shoot, no_serious_violations):
    page.goto(page.base + "/clients")
    page.get_by_label("Name", exact=True).fill("Jordan Avery")
    page.get_by_role("button", name="Add client").click()
    client_url = page.url
    for date, typed in SESSIONS:
        page.goto(client_url)
        page.get_by_label("Date", exact=True).fill(date)
        page.get_by_label("Start").fill("10:00")
        page.get_by_label("or minutes").fill("53")
        page.get_by_role("button", name="Add session and write its note").click()
        page.wait_for_url(re.compile(r"/appointments/[0-9a-f]{32}/note$"))
        page.get_by_label("What happened in the session, in your words").fill(
            f"Client reports low mood. {typed}. Used CBT thought record. Plan: f/u 1wk.")
        page.wait_for_url(re.compile(r"/notes/[0-9a-f]{32}$"))  # the first autosave made the note
        page.wait_for_selector("#draft .note-section")
    page.goto(client_url)
    chart = page.locator('svg[data-instrument="phq9"]')
    expect(chart).to_have_attribute("role", "img")
    assert chart.locator("circle.point").count() == 3
    assert chart.locator("rect.band").count() == 5  # minimal to severe, shaded
    description = chart.locator("desc").text_content()
    assert "3 scores from 2026-01-05 to 2026-01-19" in description and "down 9" in description
    rows = page.locator(".measure-table tbody tr")
    assert [r.split("\t") for r in rows.all_inner_texts()] == [
        ["2026-01-05", "18", "moderately severe"], ["2026-01-12", "14", "moderate"], ["2026-01-19", "9", "mild"]]
    shoot(page, "client-measures")
    no_serious_violations(page)
