"""The practice's time zone in a real browser: the owner sets America/Los_Angeles on the Settings page (an unknown
zone is refused, saying what to give), a session typed on the day the clocks fall back shows in Pacific time on the
client page, Today and the note, the signature shows its time in the zone, and the print view names the zone."""
from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

KEY_POINTS = "Client reports low mood. Used CBT thought record. Client engaged. Plan: f/u 1wk."
PACIFIC = ZoneInfo("America/Los_Angeles")


@pytest.fixture(scope="module")
def page(own_practice):
    return own_practice


def test_the_owner_sets_the_zone_on_the_settings_page(page, no_serious_violations):
    page.goto(page.base + "/settings")
    zone = page.get_by_label("The practice's time zone")
    zone.fill("America/Los_Angles")
    page.get_by_role("button", name="Save time zone").click()
    assert "'America/Los_Angles' is not a time zone" in page.locator("[role=alert], .error").first.inner_text()
    page.get_by_label("The practice's time zone").fill("America/Los_Angeles")
    page.get_by_role("button", name="Save time zone").click()
    page.wait_for_url(re.compile(r"/settings\?saved=time-zone$"))
    assert page.get_by_label("The practice's time zone").input_value() == "America/Los_Angeles"
    no_serious_violations(page)


def test_a_session_and_its_signature_show_in_pacific_time_and_the_print_view_says_so(page, no_serious_violations):
    page.goto(page.base + "/clients")
    page.get_by_label("Name", exact=True).fill("Morgan Pacific")
    page.get_by_role("button", name="Add client").click()
    client_url = page.url
    assert "Times are the practice's (America/Los_Angeles)" in page.locator("#time-hint").inner_text()
    page.get_by_label("Date", exact=True).fill("2026-11-01")  # the clocks fall back at 02:00 that morning
    page.get_by_label("Start").fill("14:00")
    page.get_by_label("or minutes").fill("53")
    page.get_by_role("button", name="Add session and write its note").click()
    page.wait_for_url(re.compile(r"/appointments/[0-9a-f]{32}/note$"))
    facts = page.locator(".appointment .facts").inner_text()
    assert "2026-11-01" in facts and "14:00–14:53 PST" in facts
    page.get_by_label("What happened in the session, in your words").fill(KEY_POINTS)
    page.wait_for_url(re.compile(r"/notes/[0-9a-f]{32}$"))
    page.wait_for_selector("#draft .note-section")
    note_url = page.url
    page.goto(page.base + "/")
    assert "session 2026-11-01 14:00 PST" in page.locator("main").inner_text()
    page.goto(note_url)
    for box in page.locator("#sign-form input[name=acknowledged]").all():
        box.check()
    page.get_by_label("Your password, to confirm").fill(page.password)
    before = dt.datetime.now(PACIFIC)
    page.get_by_role("button", name="Sign note").click()
    expect(page.locator("#note-status")).to_contain_text("Signed")
    after = dt.datetime.now(PACIFIC)
    signature = page.locator(".signature").inner_text()
    shown = re.search(r"on (\d{4}-\d\d-\d\d \d\d:\d\d) (P[SD]T)", signature)
    assert shown, signature
    at = dt.datetime.strptime(shown.group(1), "%Y-%m-%d %H:%M").replace(tzinfo=PACIFIC)
    assert before.replace(second=0, microsecond=0) <= at <= after and shown.group(2) == at.tzname()
    assert "UTC" not in signature
    page.goto(client_url)
    assert "2026-11-01 14:00 PST" in page.locator("main").inner_text()
    printed = page.context.new_page()
    printed.goto(note_url + "/print")
    text = printed.inner_text("main")
    assert "session 2026-11-01 14:00 PST" in text and f"{shown.group(1)} {shown.group(2)}" in text
    assert "Times are in the practice's time zone, America/Los_Angeles." in text
    no_serious_violations(printed)
    printed.close()
