"""A treatment plan in a real browser: made with two goals (rows added by the form's own buttons) and signed; a
GIRP note links one objective and its Goal section says so; the missing-plan finding shows once per client;
axe-core finds nothing serious on the plan page and the note page."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

PASSWORD = "a long enough password"
KEY_POINTS = "Used CBT: cognitive restructuring, taught box breathing. Client engaged. Plan: sleep log daily, f/u 1wk."


@pytest.fixture(scope="module")
def dana(server, new_context, create_practice):
    """The practice's clinician, signed in (the practice is made if this module runs first)."""
    page = new_context().new_page()
    page.goto(server + "/")
    if page.url.endswith("/setup"):
        create_practice(page, server, PASSWORD)
    else:
        page.get_by_label("Username").fill("dana")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(server + "/")
    return {"page": page, "base": server}


def add_client(page, base: str, name: str) -> str:
    page.goto(base + "/clients")
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_role("button", name="Add client").click()
    page.wait_for_url(re.compile(r"/clients/[0-9a-f]{32}$"))
    return page.url


def add_session(page, client_url: str, start: str) -> None:
    """A session yesterday (so it is in Today's work whatever the hour now)."""
    page.goto(client_url)
    page.get_by_label("Date", exact=True).fill((dt.date.today() - dt.timedelta(days=1)).isoformat())
    page.get_by_label("Start").fill(start)
    page.get_by_label("or minutes").fill("53")
    page.get_by_role("button", name="Add session and write its note").click()
    page.wait_for_url(re.compile(r"/appointments/[0-9a-f]{32}/note$"))


def test_a_plan_with_two_goals_is_made_and_signed(dana, shoot, no_serious_violations):
    page, base = dana["page"], dana["base"]
    dana["client_url"] = add_client(page, base, "Riley Plan")
    assert page.locator("#treatment-plan").get_by_text("No treatment plan on file for this client.").count() == 1
    page.get_by_role("link", name="Start a treatment plan").click()
    page.get_by_label("Start date").fill("2026-01-05")
    page.get_by_label("The problem").fill("Generalized anxiety interfering with work")
    page.get_by_label("Goal", exact=True).fill("Reduce anxiety at work")
    page.get_by_label("In the client's own words").fill("stop dreading Mondays")
    page.get_by_label("What will change, measurably").fill("GAD-7 below 10")
    page.get_by_label("Baseline").fill("GAD-7 16")
    page.get_by_label("Target", exact=True).fill("below 10")
    page.get_by_label("Target date").fill("2026-04-05")
    page.get_by_label("Measure").fill("GAD-7")
    page.get_by_role("button", name="Add a goal to problem 1").click()  # a plain submit: no script needed
    expect(page.locator("#p0-g1")).to_be_visible()
    assert page.get_by_label("In the client's own words").first.input_value() == "stop dreading Mondays"
    second = page.locator("#p0-g1")
    second.get_by_label("Goal", exact=True).fill("Sleep at least 7 hours a night")
    second.get_by_label("What will change, measurably").fill("Sleep log shows 7 hours on 5 nights a week")
    second.get_by_label("Target", exact=True).fill("7 hours")
    page.get_by_label("Modality").fill("CBT")
    page.get_by_label("Frequency").fill("weekly")
    page.get_by_label("Duration").fill("12 weeks")
    page.get_by_label("Client's agreement").select_option("verbal")
    page.get_by_label("Date of agreement").fill("2026-01-05")
    page.get_by_role("button", name="Save the plan").click()
    page.wait_for_url(re.compile(r"/treatment-plans/[0-9a-f]{32}"))
    missing = page.locator("#plan-missing")
    assert "problem 1, goal 2, objective 1: its target date" in missing.inner_text()  # says what is missing
    no_serious_violations(page)
    page.locator("#p0-g1-o0-date").fill("2026-03-05")
    page.get_by_role("button", name="Save a new version").click()
    expect(page.locator("#plan-missing")).to_have_count(0)
    page.get_by_label(re.compile("Your password, to sign version 2")).fill(PASSWORD)
    page.get_by_role("button", name="Sign the plan").click()
    expect(page.locator("#plan-status")).to_contain_text("Signed · version 2 · active plan")
    assert "Integrity verified" in page.locator("#plan-integrity").inner_text()
    no_serious_violations(page)
    shoot(page, "treatment-plan")
    page.goto(dana["client_url"])
    card = page.locator("#treatment-plan").inner_text()
    assert "Active plan: version 2" in card and "No treatment plan on file" not in card


def test_a_girp_note_links_one_objective_and_its_goal_section_says_so(dana, shoot, no_serious_violations):
    page = dana["page"]
    add_session(page, dana["client_url"], "09:00")
    page.get_by_label("Format").select_option("girp")
    page.get_by_label("What happened in the session, in your words").fill(KEY_POINTS)
    page.wait_for_url(re.compile(r"/notes/[0-9a-f]{32}$"))
    page.wait_for_selector("#draft .note-section")
    page.reload()
    goals = page.locator("#plan-goals")
    goals.get_by_label(re.compile("Objective: Sleep log shows 7 hours")).check()
    goals.get_by_label(re.compile("Progress toward .Sleep log")).fill("Six hours on most nights this week.")
    goals.get_by_role("button", name="Save the goals addressed").click()
    page.wait_for_url(re.compile(r"/notes/[0-9a-f]{32}#h-goals$"))
    goal = page.locator("#section-goal .section-read").inner_text()
    assert goal.startswith("Treatment-plan goal addressed: Sleep at least 7 hours a night.")
    assert "progress: Six hours on most nights this week." in goal
    assert "Reduce anxiety" not in goal  # only what was ticked
    assert page.locator("#findings").get_by_text("No treatment-plan goal was named.").count() == 0
    no_serious_violations(page)
    shoot(page, "note-linked-to-plan")


def test_the_missing_plan_finding_shows_once_per_client(dana, no_serious_violations):
    page, base = dana["page"], dana["base"]
    client_url = add_client(page, base, "Sam Noplan")
    add_session(page, client_url, "11:00")
    add_session(page, client_url, "13:00")
    page.goto(base + "/")
    listed = page.locator("#without-plan")
    assert listed.get_by_text("Sam Noplan").count() == 1  # two sessions, one finding
    assert listed.get_by_text("Riley Plan").count() == 0  # has a signed plan
    no_serious_violations(page)
    page.goto(client_url)
    assert page.get_by_text("No treatment plan on file for this client.").count() == 1


def test_the_key_points_propose_an_objective_and_its_measure_shows_its_trend(dana, shoot, no_serious_violations):
    page = dana["page"]
    add_session(page, dana["client_url"], "15:00")
    page.get_by_label("Format").select_option("girp")
    page.get_by_label("What happened in the session, in your words").fill(
        "GAD-7 12. Client reports anxiety at work. Used CBT: cognitive restructuring. Plan: f/u 1wk.")
    page.wait_for_url(re.compile(r"/notes/[0-9a-f]{32}$"))
    page.wait_for_selector("#draft .note-section")
    page.reload()
    goals = page.locator("#plan-goals")
    objective = goals.get_by_label(re.compile("Objective: GAD-7 below 10"))
    expect(objective).not_to_be_checked()  # a proposal, never a tick
    described = page.locator("#" + objective.get_attribute("aria-describedby"))
    expect(described).to_have_text("Proposed: GAD-7 was scored in the key points")
    expect(goals.get_by_label(re.compile("Goal: Reduce anxiety at work"))).not_to_be_checked()
    trend = goals.locator(".objective-measure").first
    expect(trend.locator(".objective-trend")).to_contain_text("latest 12 (moderate)")
    expect(trend.locator(".objective-trend")).to_contain_text("baseline GAD-7 16 · target below 10 by 2026-04-05")
    chart = trend.locator('svg[data-instrument="gad7"]')
    expect(chart).to_be_hidden()  # folded until asked for
    trend.get_by_text("GAD-7 chart and scores").click()
    expect(chart).to_be_visible()
    assert chart.locator("circle.point").count() == 1
    assert trend.locator(".measure-table tbody tr").all_inner_texts()[0].split("\t")[1:] == ["12", "moderate"]
    no_serious_violations(page)
    shoot(page, "note-goals-proposed")
    page.goto(dana["client_url"])
    page.locator("#treatment-plan").get_by_role("link", name=re.compile("Treatment plan, version 2")).click()
    shown = page.locator("#p0-g0-o0 .objective-trend")
    expect(shown).to_contain_text("GAD-7: latest 12 (moderate)")
    no_serious_violations(page)
