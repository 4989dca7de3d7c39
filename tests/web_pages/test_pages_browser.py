"""The clinician's day in a real browser, in order: first run, sign in, a client and a session, key points
(autosaved), draft, provenance, edit, a conflict between two tabs, switch format, copy, sign, addendum; a second
clinician who cannot see the first one's client; sign-out after inactivity, warned a minute ahead."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect


PASSWORD = "a long enough password"
KEY_POINTS = ("Client (32F) reports increased anxiety at work after new manager; sleeping ~5h/night; denies SI/HI. "
              "Appeared tense, fidgeting. Used CBT: cognitive restructuring, taught box breathing. Client engaged, "
              "rated anxiety 7/10 at start, 5/10 at end. Plan: thought record daily, next session in 1 week.")


@pytest.fixture(scope="module")
def owner(server, new_context):
    context = new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    page = context.new_page()
    return {"context": context, "page": page, "base": server}


def test_first_visit_creates_the_practice_and_signs_in(owner, shoot, no_serious_violations, create_practice):
    page, base = owner["page"], owner["base"]
    page.goto(base + "/")
    assert page.url.endswith("/setup")
    no_serious_violations(page)
    shoot(page, "first-run")
    create_practice(page, base, PASSWORD)
    assert page.get_by_role("heading", name="Today", level=1).is_visible()
    assert "Dana Reyes, LCSW" in page.locator("header").inner_text()


def test_sign_out_and_sign_in_again(owner, no_serious_violations):
    page, base = owner["page"], owner["base"]
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/sign-in"))
    page.goto(base + "/clients")
    assert "/sign-in" in page.url
    no_serious_violations(page)
    page.get_by_label("Username").fill("dana")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(base + "/clients")  # back where they were going


def test_add_a_client_and_a_session(owner, no_serious_violations):
    page = owner["page"]
    page.get_by_label("Name", exact=True).fill("Jordan Avery")
    page.get_by_label("Record number (optional)").fill("MRN-1042")
    page.get_by_role("button", name="Add client").click()
    assert page.get_by_role("heading", name="Jordan Avery").is_visible()
    no_serious_violations(page)
    page.get_by_label("Start").fill("10:00")
    page.get_by_label("or minutes").fill("53")
    page.get_by_label("Telehealth").select_option("video")
    page.get_by_role("button", name="Add session and write its note").click()
    page.wait_for_url(re.compile(r"/appointments/[0-9a-f]{32}/note$"))
    facts = page.locator(".facts").inner_text()
    assert "53" in facts and "psychotherapy" in facts and "Telehealth (video)" in facts  # prefilled


def test_key_points_are_autosaved_and_survive_a_reload(owner):
    page = owner["page"]
    page.get_by_label("What happened in the session, in your words").fill(KEY_POINTS)
    page.wait_for_url(re.compile(r"/notes/[0-9a-f]{32}$"))  # the first autosave made the note
    page.wait_for_selector("#draft .note-section")
    owner["note_url"] = page.url
    page.reload()
    assert page.get_by_label("What happened in the session, in your words").input_value() == KEY_POINTS


def test_draft_with_ctrl_enter_shows_sections_and_findings(owner, no_serious_violations):
    page = owner["page"]
    box = page.get_by_label("What happened in the session, in your words")
    box.fill(KEY_POINTS + " Continue weekly CBT.")
    page.evaluate("""() => {  // note every section shown while the draft streams in
        window.streamedTitles = [];
        new MutationObserver(records => records.forEach(r => r.addedNodes.forEach(n => {
            if (n.matches && n.matches('.note-section.streaming')) { window.streamedTitles.push(n.querySelector('h3').textContent); }
        }))).observe(document.getElementById('draft-slot'), {childList: true, subtree: true});
    }""")
    with page.expect_response(re.compile(r"/notes/[0-9a-f]{32}/draft/stream$")) as streamed:
        box.press("Control+Enter")  # sent as a stream, section by section
    assert streamed.value.ok and streamed.value.headers["content-type"].startswith("application/x-ndjson")
    expect(page.locator("#kp-status")).to_have_text(re.compile("^Drafted"))
    assert page.evaluate("window.streamedTitles") == ["Subjective", "Objective", "Assessment", "Plan"]
    assert page.locator("#draft-streaming").count() == 0  # the saved draft replaced the streamed one
    titles = page.locator(".note-section h3").all_inner_texts()
    assert titles == ["Subjective", "Objective", "Assessment", "Plan"]
    assert page.locator(".findings li").count() >= 1
    no_serious_violations(page)


def test_session_details_are_edited_on_the_note_screen_while_a_draft(owner, no_serious_violations):
    page = owner["page"]
    page.get_by_text("Change the session's details").click()
    assert page.get_by_label("Start").input_value() == "10:00"  # prefilled from the appointment
    assert page.get_by_label("End", exact=True).input_value() == "10:53"
    assert page.get_by_label("Telehealth").input_value() == "video"
    assert page.get_by_label("Service").input_value() == "psychotherapy"
    no_serious_violations(page)
    page.get_by_label("End", exact=True).fill("")
    page.get_by_label("or minutes").fill("38")
    page.get_by_label("Telehealth").select_option("")
    page.get_by_label("Attendees besides the client").fill("Mother")
    page.get_by_role("button", name="Save the session's details").click()
    page.wait_for_url(owner["note_url"] + "#h-appt")
    facts = page.locator(".facts").inner_text()
    assert "38" in facts and "In person" in facts and "Mother" in facts
    box = page.get_by_label("What happened in the session, in your words")
    box.press("Control+Enter")  # drafting again uses the new details
    expect(page.locator("#kp-status")).to_have_text(re.compile("^Drafted"))
    assert "38 minutes" in page.locator(".findings").inner_text()


def test_hovering_a_sentence_lights_its_source_in_the_key_points(owner, shoot):
    page = owner["page"]
    sentence = page.locator("#section-plan .sentence").first
    sentence.hover()
    lit = " ".join(page.locator(".source-text .src.lit").all_inner_texts())
    assert "thought record daily" in lit
    assert "anxiety at work" not in lit  # only this sentence's sources
    page.mouse.move(5, 5)
    assert page.locator(".src.lit").count() == 0
    page.locator("#section-subjective .sentence").first.focus()  # the keyboard does the same
    assert "anxiety" in " ".join(page.locator(".src.lit").all_inner_texts())
    shoot(page, "write-note-provenance")


def test_edit_a_section_in_place_is_autosaved_with_the_version(owner):
    page = owner["page"]
    version = int(page.locator("#version-label").inner_text())
    page.locator("#section-assessment summary").click()
    page.get_by_label("Assessment text").fill("Client was engaged and generated a balanced thought.")
    expect(page.locator("#version-label")).to_have_text(str(version + 1))
    page.reload()
    assert "balanced thought" in page.locator("#section-assessment .section-read").inner_text()


def test_a_stale_save_from_another_tab_is_shown_as_a_conflict_not_lost(owner, shoot, no_serious_violations):
    page, context = owner["page"], owner["context"]
    other = context.new_page()
    other.goto(owner["note_url"])
    page.locator("#section-plan summary").click()
    page.get_by_label("Plan text").fill("Thought record daily. Next session in 1 week.")
    page.get_by_role("button", name="Save Plan").click()
    expect(page.locator("#section-plan details .save-status")).to_have_text(re.compile("^Saved"))
    other.locator("#section-plan summary").click()
    other.get_by_label("Plan text").fill("Breathing practice twice a day.")
    other.get_by_role("button", name="Save Plan").click()
    conflict = other.locator("#section-plan .conflict")
    conflict.wait_for()
    assert conflict.get_by_label("Your text").input_value() == "Breathing practice twice a day."
    assert conflict.get_by_label(re.compile("Saved text")).input_value() == "Thought record daily. Next session in 1 week."
    no_serious_violations(other)
    shoot(other, "conflict")
    conflict.get_by_label("Your text").fill("Thought record daily. Breathing practice twice a day. Next session in 1 week.")
    conflict.get_by_role("button", name="Keep mine").click()
    other.locator("#section-plan .conflict").wait_for(state="detached")
    other.close()
    page.reload()
    assert "Breathing practice twice a day" in page.locator("#section-plan .section-read").inner_text()


def test_two_tabs_typing_key_points_end_in_a_conflict_view_with_both_texts(owner, no_serious_violations):
    page, context = owner["page"], owner["context"]
    page.goto(owner["note_url"])
    other = context.new_page()
    other.goto(owner["note_url"])
    typed = page.get_by_label("What happened in the session, in your words").input_value()
    page.get_by_label("What happened in the session, in your words").fill(typed + " Tab A: mother attended.")
    expect(page.locator("#kp-status")).to_have_text("Saved")
    other.get_by_label("What happened in the session, in your words").fill(typed + " Tab B: 10 min late.")
    conflict = other.locator("#kp-conflict")
    conflict.wait_for()
    assert conflict.get_by_label("Your key points").input_value() == typed + " Tab B: 10 min late."
    assert conflict.get_by_label(re.compile("Saved key points")).input_value() == typed + " Tab A: mother attended."
    assert "by you, in another window or tab" in conflict.inner_text()
    no_serious_violations(other)
    conflict.get_by_role("button", name="Take theirs").click()
    conflict.wait_for(state="detached")
    box = other.get_by_label("What happened in the session, in your words")
    assert box.input_value() == typed + " Tab A: mother attended."
    with other.expect_response(re.compile(r"/key-points$")) as saved:
        box.fill(typed + " Tab A: mother attended. Tab B: 10 min late.")  # based on the revision taken
    assert saved.value.ok
    other.close()
    page.reload()
    assert page.get_by_label("What happened in the session, in your words").input_value().endswith("Tab B: 10 min late.")


def test_switch_format_without_retyping(owner):
    page = owner["page"]
    page.get_by_label("Format").select_option("dap")
    page.get_by_role("button", name="Draft again").click()
    expect(page.locator(".note-section h3").first).to_have_text("Data")
    assert page.locator(".note-section h3").all_inner_texts() == ["Data", "Assessment", "Plan"]
    assert "Continue weekly CBT" in page.get_by_label("What happened in the session, in your words").input_value()
    # the sections edited by hand above survived the format switch, with DAP's own draft offered beside them
    assert "balanced thought" in page.locator("#section-assessment .section-read").inner_text()
    assert "Breathing practice twice a day" in page.locator("#section-plan .section-read").inner_text()
    offer = page.locator("#section-plan .proposal")
    assert "the new draft did not replace it" in offer.inner_text()
    offer.get_by_role("button", name="Keep mine").click()
    page.locator("#section-plan .proposal").wait_for(state="detached")
    assert "Breathing practice twice a day" in page.locator("#section-plan .section-read").inner_text()
    page.locator("#section-assessment .proposal").get_by_role("button", name="Keep mine").click()
    page.locator("#section-assessment .proposal").wait_for(state="detached")


def test_every_version_is_listed_and_an_earlier_one_restored(owner, no_serious_violations):
    page = owner["page"]
    current = int(page.locator("#version-label").inner_text())
    page.get_by_role("link", name="Versions").click()
    page.wait_for_url(owner["note_url"] + "/versions")
    assert page.locator(".versions > li").count() == current
    assert "(current)" in page.locator(f"#version-{current} h2").inner_text()
    edited = page.locator(".versions > li", has_text="Changed: Plan").filter(has_text="edited").first
    edited.locator("summary", has_text="Plan").click()
    diff = edited.locator("pre").inner_text()
    assert "-Thought record daily. Next session" in diff and "+Thought record daily. Breathing practice" in diff
    no_serious_violations(page)
    page.locator("#version-1").get_by_role("button", name="Restore version 1").click()
    page.wait_for_url(owner["note_url"])
    assert page.locator("#version-label").inner_text() == str(current + 1)
    assert page.locator(".note-section h3").all_inner_texts() == ["Subjective", "Objective", "Assessment", "Plan"]
    page.get_by_role("link", name="Versions").click()
    assert "restored version 1" in page.locator(f"#version-{current + 1}").inner_text()
    page.locator(f"#version-{current}").get_by_role("button", name=f"Restore version {current}").click()
    page.wait_for_url(owner["note_url"])  # back to the DAP note as it was: nothing was lost on the way
    assert page.locator(".note-section h3").all_inner_texts() == ["Data", "Assessment", "Plan"]
    assert "Breathing practice twice a day" in page.locator("#section-plan .section-read").inner_text()


def test_copy_a_section_and_the_whole_note_as_plain_text(owner):
    page = owner["page"]
    page.get_by_role("button", name="Copy Plan as plain text").click()
    plan = page.evaluate("navigator.clipboard.readText()")
    assert "thought record" in plan.lower() and "<" not in plan
    page.get_by_role("button", name="Copy whole note").click()
    expect(page.locator("#copy-status")).to_have_text("Copied")
    whole = page.evaluate("navigator.clipboard.readText()")
    assert whole.startswith("Data:\n") and "\n\nAssessment:\n" in whole and "\n\nPlan:\n" in whole


def test_print_view_is_clean(owner, no_serious_violations):
    page = owner["page"]
    printed = page.context.new_page()
    printed.goto(owner["note_url"] + "/print")
    assert printed.locator("form, nav, button").count() == 0
    assert "Draft: not signed." in printed.inner_text("main")
    no_serious_violations(printed)
    printed.close()


def test_sign_with_password_then_only_addenda(owner, shoot, no_serious_violations):
    page = owner["page"]
    warnings = page.locator("#sign-form input[name=acknowledged]")
    assert warnings.count() >= 1  # this note has open warnings: each must be read and acknowledged
    page.get_by_label("Your password, to confirm").fill(PASSWORD)
    page.get_by_role("button", name="Sign note").click()  # the browser holds the form: not acknowledged
    assert page.locator("#note-status").inner_text().startswith("Draft")
    for box in warnings.all():
        box.check()
    page.get_by_label("Your password, to confirm").fill("not my password")
    page.get_by_role("button", name="Sign note").click()
    assert "not signed" in page.locator(".sign .error").inner_text()
    for box in page.locator("#sign-form input[name=acknowledged]").all():
        box.check()
    assert "marked late" not in page.locator(".sign").inner_text()  # today's session, within the deadline
    page.get_by_label("Your password, to confirm").fill(PASSWORD)
    page.get_by_role("button", name="Sign note").click()
    assert page.locator("#note-status").inner_text().startswith("Signed")
    assert "acknowledged" in page.locator(".signature").inner_text()
    assert "Dana Reyes, LCSW" in page.locator(".signature").inner_text()
    assert "Integrity verified" in page.locator("#integrity").inner_text()
    assert page.locator("details.edit, #draft-form, #sign-form").count() == 0  # read-only now
    page.get_by_label("Reason").fill("late entry")
    page.get_by_label("Addendum", exact=True).fill("Client called to confirm the next session.")
    page.get_by_role("button", name="Add addendum").click()
    assert "reason: late entry" in page.locator(".addendum").inner_text()
    no_serious_violations(page)
    shoot(page, "signed-note")


def test_download_the_signed_note_as_pdf_and_word(owner, tmp_path):
    page = owner["page"]
    note_id = owner["note_url"].rsplit("/", 1)[1]
    with page.expect_download() as pdf:
        page.get_by_role("link", name="PDF").click()
    assert pdf.value.suggested_filename == f"note-{note_id}.pdf"
    saved = tmp_path / "note.pdf"
    pdf.value.save_as(saved)
    from pypdf import PdfReader
    text = PdfReader(saved).pages[0].extract_text()
    assert "Dana Reyes, LCSW" in text and "Addendum" in text and "Verified" in text
    with page.expect_download() as word:
        page.get_by_role("link", name="Word").click()
    assert word.value.suggested_filename == f"note-{note_id}.docx"


def test_today_shows_overdue_work_in_red_with_how_overdue(owner, shoot, no_serious_violations):
    page, base = owner["page"], owner["base"]
    page.goto(base + "/clients")
    page.get_by_role("link", name="Jordan Avery").click()
    ten_days_ago = (dt.date.today() - dt.timedelta(days=10)).isoformat()
    page.get_by_label("Date", exact=True).fill(ten_days_ago)
    page.get_by_label("Start").fill("09:00")
    page.get_by_label("or minutes").fill("45")
    page.get_by_role("button", name="Add session and write its note").click()
    page.goto(base + "/")
    late = page.locator("#h-write + ul li.overdue")
    assert "Jordan Avery" in late.inner_text() and re.search(r"Overdue by \d+ d", late.inner_text())
    assert late.locator(".late").evaluate("e => getComputedStyle(e).color") == "rgb(163, 18, 31)"
    assert "Jordan Avery" in page.locator("#h-signed + ul").inner_text()
    assert re.fullmatch(r"\d+ min for 1 signed note", page.locator("#documentation-minutes").inner_text())
    assert "Dana Reyes" in page.locator("#minutes-by-clinician").inner_text()  # the owner sees the team's
    assert "from the first draft to the signature" in page.locator("#h-minutes ~ .hint").inner_text()
    no_serious_violations(page)
    shoot(page, "today")
    page.goto(base + "/clients")
    no_serious_violations(page)
    page.get_by_label("Search by name or record number").fill("jord")
    page.get_by_role("button", name="Search").click()
    assert page.url == base + "/clients/search"  # what was searched for stays out of the URL
    assert page.get_by_role("link", name="Jordan Avery").is_visible()
    shoot(page, "clients")


def test_a_second_clinician_cannot_see_the_first_ones_client(owner, new_context, shoot, no_serious_violations):
    page, base = owner["page"], owner["base"]
    page.goto(base + "/settings")
    page.get_by_label("Username", exact=True).fill("sam")
    page.get_by_label("Name", exact=True).fill("Sam Lee")
    page.get_by_label("Temporary password").fill(PASSWORD)
    page.get_by_role("button", name="Add user").click()
    assert "sam" in page.locator("table").inner_text()
    no_serious_violations(page)
    shoot(page, "settings")
    client_url = None
    page.goto(base + "/clients")
    client_url = base + page.get_by_role("link", name="Jordan Avery").get_attribute("href")

    sam = new_context().new_page()
    sam.goto(base + "/sign-in")
    sam.get_by_label("Username").fill("sam")
    sam.get_by_label("Password").fill(PASSWORD)
    sam.get_by_role("button", name="Sign in").click()
    # the owner typed Sam's first password: Sam chooses their own before anything else
    sam.wait_for_url("**/settings?must_change=1*")
    assert "Choose your own password" in sam.inner_text("main")
    sam.goto(base + "/clients")
    assert "/settings" in sam.url
    sam.get_by_label("Current password").fill(PASSWORD)
    sam.get_by_label("New password", exact=True).fill("plum kettle orbit lantern")
    sam.get_by_label("New password again").fill("plum kettle orbit lantern")
    sam.get_by_role("button", name="Change password").click()
    assert "Your password was changed" in sam.inner_text("main")
    no_serious_violations(sam)
    sam.goto(base + "/clients")
    assert "Jordan Avery" not in sam.inner_text("main")
    response = sam.goto(client_url)
    assert response.status == 404 and "Jordan Avery" not in sam.content()
    response = sam.goto(owner["note_url"])
    assert response.status == 404


def test_a_finding_goes_away_when_the_fix_is_typed(owner, no_serious_violations):
    page, base = owner["page"], owner["base"]
    page.goto(base + "/clients")
    page.get_by_label("Name", exact=True).fill("Riley Moss")
    page.get_by_role("button", name="Add client").click()
    page.get_by_label("Start").fill("11:00")
    page.get_by_label("or minutes").fill("53")
    page.get_by_role("button", name="Add session and write its note").click()
    page.wait_for_url(re.compile(r"/appointments/[0-9a-f]{32}/note$"))
    page.get_by_label("What happened in the session, in your words").fill(
        "Client reported SI this week, thoughts of overdosing, no intent. Used CBT: cognitive restructuring. "
        "Client engaged. Plan: thought record daily, next session in 1 week.")
    page.wait_for_url(re.compile(r"/notes/[0-9a-f]{32}$"))  # the autosave made the note on this page
    page.wait_for_selector("#draft .note-section")
    assert page.locator("main h1").inner_text().startswith("Note")
    page.get_by_label("What happened in the session, in your words").press("Control+Enter")
    expect(page.locator("#sign-form")).to_be_visible()  # then drafting it leaves the whole note screen: Sign too
    expect(page.locator("#kp-status")).not_to_have_text(re.compile("^Drafting"))
    findings = page.locator("#findings")
    expect(findings).to_contain_text("the plan names no safety planning")
    page.locator("#section-plan summary").click()
    page.get_by_label("Plan text").fill("Built a safety plan together: warning signs, sister, 988. Thought record "
                                        "daily. Next session in 1 week.")
    expect(findings).not_to_contain_text("the plan names no safety planning")  # autosaved, rechecked, no reload
    no_serious_violations(page)


def test_inactivity_signs_out_after_a_warning_a_minute_ahead(owner):
    page, base = owner["page"], owner["base"]
    page.goto(base + "/settings")
    page.get_by_label("Sign out after this many minutes without activity").fill("2")
    page.get_by_role("button", name="Save").nth(1).click()
    page.clock.install()
    page.goto(base + "/")
    warning = page.get_by_role("alertdialog", name="Still there?")
    page.clock.run_for("00:20")
    assert warning.is_hidden()
    page.clock.run_for("00:15")  # 55 s left (of 2 minutes, less the server's 30 s activity granularity): warned
    assert warning.is_visible()
    page.get_by_role("button", name="Stay signed in").click()
    expect(warning).to_be_hidden()
    page.clock.run_for("01:35")
    page.wait_for_url(re.compile(r"/sign-in\?reason=idle"))
    assert "signed out after a period without activity" in page.inner_text("main")
    page.goto(base + "/")
    assert "/sign-in" in page.url
