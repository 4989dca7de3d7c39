"""Keyboard and phone in a real browser: the key points have focus on a new note and the main heading after every
other page change; the note's sentences are one tab stop (arrow keys inside); a shortcut signs; the path from
Today to a signed note counted in key presses; at 390 px no page scrolls sideways and the note comes before its
sources; axe-core finds nothing serious or critical on any page. A supervisor's return of a note is among them."""
from __future__ import annotations

import datetime as dt
import re
import time

import pytest
from playwright.sync_api import expect

PASSWORD = "a long enough password"
OWN_PASSWORD = "plum kettle orbit lantern"
KEY_POINTS = ("Client reports increased anxiety at work after new manager; sleeping ~5h/night; denies SI/HI. Used "
              "CBT: cognitive restructuring, taught box breathing. Client engaged, rated anxiety 7/10 at start, "
              "5/10 at end. Plan: thought record daily, next session in 1 week.")
# risk without a safety plan: an open warning the signature must acknowledge; a PHQ-9 total for the client's chart
RISK_KEY_POINTS = ("Client reported passive SI this week, no plan or intent. PHQ-9 14. Used CBT: cognitive "
                   "restructuring. Client engaged. Plan: thought record daily, next session in 1 week.")
KEY_POINTS_BOX = "What happened in the session, in your words"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def site(another_server):
    """Two fresh afternotes: `base`, set up by the first test, and `fresh`, never set up (its first-run page)."""
    with another_server() as base, another_server() as fresh:
        yield {"base": base, "fresh": fresh, "pages": {}}


@pytest.fixture(scope="module")
def dana(site, new_context):
    return new_context().new_page()


def focused(page) -> dict:
    return page.evaluate("""() => { const e = document.activeElement;
        return {tag: e.tagName, id: e.id, text: (e.innerText || '').trim(), cls: e.className || '',
                type: e.type || '', href: e.getAttribute('href') || ''}; }""")


def wait_focus(page, is_it, timeout: float = 10.0) -> dict:
    """Poll from here until the focused element passes `is_it`: the pages' CSP forbids the string evaluation that
    Playwright's wait_for_function polls with, so a wait that had to poll failed instead of waiting."""
    deadline = time.monotonic() + timeout
    while not is_it(now := focused(page)):
        assert time.monotonic() < deadline, now
        time.sleep(0.05)
    return now


def wait_focus_on_heading(page, starts: str = "") -> str:
    """Wait for focus on a main heading that starts with `starts` (the page before, with its own focused heading,
    may still be shown); returns the heading's text."""
    return wait_focus(page, lambda e: e["tag"] == "H1" and e["text"].startswith(starts))["text"]


def add_client_and_session(page, base: str, name: str) -> str:
    """A client and a session yesterday (so it is open work in Today whatever the hour); returns the client URL."""
    page.goto(base + "/clients")
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_role("button", name="Add client").click()
    page.wait_for_url(re.compile(r"/clients/[0-9a-f]{32}$"))
    client_url = page.url
    page.get_by_label("Date", exact=True).fill((dt.date.today() - dt.timedelta(days=1)).isoformat())
    page.get_by_label("Start").fill("09:00")
    page.get_by_label("or minutes").fill("53")
    page.get_by_role("button", name="Add session and write its note").click()
    page.wait_for_url(re.compile(r"/appointments/[0-9a-f]{32}/note$"))
    return client_url


def sign_in(page, base: str, username: str, password: str) -> None:
    page.goto(base + "/sign-in")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def choose_own_password(page, base: str, username: str) -> None:
    sign_in(page, base, username, PASSWORD)
    page.wait_for_url("**/settings?must_change=1*")
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill(OWN_PASSWORD)
    page.get_by_label("New password again").fill(OWN_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    expect(page.locator("main")).to_contain_text("Your password was changed")


def draft_by_mouse(page) -> None:
    """Type the key points on a new note and press Draft; the page becomes the note's."""
    page.get_by_label(KEY_POINTS_BOX).fill(KEY_POINTS)
    page.get_by_role("button", name=re.compile("^Draft")).click()
    page.wait_for_selector("#sign-form")


def sign_by_mouse(page, password: str) -> None:
    for box in page.locator("#sign-form input[name=acknowledged]").all():
        box.check()
    page.get_by_label("Your password, to confirm").fill(password)
    page.get_by_role("button", name="Sign note").click()
    expect(page.locator("#note-status")).to_contain_text("Signed")


def test_the_keyboard_path_from_today_to_a_signed_note(site, dana, create_practice):
    base = site["base"]
    dana.goto(base + "/")
    create_practice(dana, base, PASSWORD)
    site["pages"]["client"] = add_client_and_session(dana, base, "Jordan Avery")
    dana.goto(base + "/")
    assert wait_focus_on_heading(dana, "Today") == "Today"

    presses = []

    def press(key: str) -> None:
        presses.append(key)
        dana.keyboard.press(key)

    while not re.search(r"/appointments/[0-9a-f]{32}/note$", focused(dana)["href"]):  # to the session's link
        assert len(presses) < 10, focused(dana)
        press("Tab")
    press("Enter")
    dana.wait_for_url(re.compile(r"/appointments/[0-9a-f]{32}/note$"))
    wait_focus(dana, lambda e: e["id"] == "key_points")  # a new note
    dana.keyboard.type(RISK_KEY_POINTS)  # typing the key points is not counted
    press("Control+Enter")  # drafts; the page becomes the note's, with its Sign box
    dana.wait_for_selector("#sign-form")
    assert wait_focus_on_heading(dana, "Note").startswith("Note")
    warnings = dana.locator("#sign-form input[name=acknowledged]").count()
    assert warnings >= 1
    press("Control+Shift+Enter")  # the shortcut: to what the Sign box still needs, first each open warning
    expect(dana.locator("#sign-form .sign-status")).to_have_text("Read this warning; Space acknowledges it.")
    while focused(dana)["type"] == "checkbox":
        press("Space")
        press("Control+Shift+Enter")
    assert focused(dana)["id"] == "sign-password"
    expect(dana.locator("#sign-form .sign-status")).to_contain_text("type it, then Enter signs")
    assert dana.locator("#sign-form input[name=acknowledged]:checked").count() == warnings
    dana.keyboard.type(PASSWORD)  # nor is the password
    press("Enter")
    expect(dana.locator("#note-status")).to_contain_text("Signed")
    assert wait_focus_on_heading(dana, "Note").startswith("Note")
    assert f"{warnings} open warning" in dana.locator(".signature").inner_text()  # acknowledged, as by mouse
    assert len(presses) < 30, presses
    site["pages"]["signed note"] = dana.url
    dana.goto(site["pages"]["client"])
    assert dana.locator("table.measure-table").count() == 1  # the client's page has its measures table too
    print(f"keyboard path, Today to a signed note: {len(presses)} key presses: {' '.join(presses)}")


def test_the_notes_sentences_are_one_tab_stop_with_arrow_keys_inside(site, dana):
    base = site["base"]
    add_client_and_session(dana, base, "Riley Moss")
    draft_by_mouse(dana)
    site["pages"]["note"] = dana.url
    sentences = dana.locator("#draft .sentence")
    assert sentences.count() > 3
    assert dana.locator("#draft .sentence[tabindex='0']").count() == 1
    wait_focus_on_heading(dana)
    visits = 0
    for _ in range(80):  # the whole note, by Tab, from the heading to the Sign box
        dana.keyboard.press("Tab")
        now = focused(dana)
        visits += "sentence" in now["cls"]
        if now["id"] == "sign-password":
            break
    else:
        pytest.fail("Tab never reached the Sign box")
    assert visits == 1
    sentences.first.focus()
    dana.keyboard.press("ArrowDown")
    assert dana.evaluate("document.activeElement === document.querySelectorAll('#draft .sentence')[1]")
    assert dana.locator(".source-text .src.lit").count() >= 1  # its sources light up, as for the mouse
    dana.keyboard.press("End")
    assert dana.evaluate("document.activeElement === [...document.querySelectorAll('#draft .sentence')].pop()")
    dana.keyboard.press("Home")
    dana.keyboard.press("ArrowRight")
    dana.keyboard.press("Shift+Tab")
    dana.keyboard.press("Tab")  # back into the group: where it was left
    assert dana.evaluate("document.activeElement === document.querySelectorAll('#draft .sentence')[1]")
    assert dana.locator("#draft .sentence[tabindex='0']").count() == 1


def test_focus_moves_to_the_main_heading_after_a_page_change(site, dana):
    base = site["base"]
    dana.goto(base + "/")
    dana.get_by_role("navigation", name="Main").get_by_role("link", name="Clients").click()
    dana.wait_for_url(base + "/clients")
    assert wait_focus_on_heading(dana, "Clients") == "Clients"
    dana.get_by_role("link", name="Riley Moss").click()
    assert wait_focus_on_heading(dana, "Riley Moss") == "Riley Moss"
    dana.get_by_role("navigation", name="Main").get_by_role("link", name="Settings").click()
    assert wait_focus_on_heading(dana, "Settings") == "Settings"
    dana.goto(site["pages"]["note"] + "/versions")
    assert wait_focus_on_heading(dana, "Versions").startswith("Versions")


def test_a_supervisor_returns_a_note_and_the_author_sees_it(site, dana, new_context, shoot):
    base, pages = site["base"], site["pages"]
    dana.goto(base + "/settings")
    for username, name, role, supervisor in (("sue", "Sue Park", "supervisor", ""),
                                             ("al", "Al Cruz", "clinician", "sue")):
        dana.get_by_label("Username", exact=True).fill(username)
        dana.get_by_label("Name", exact=True).fill(name)
        dana.get_by_label("Role", exact=True).select_option(role)
        dana.get_by_label("Supervisor's username").fill(supervisor)
        dana.get_by_label("Temporary password").fill(PASSWORD)
        dana.get_by_role("button", name="Add user").click()
        expect(dana.locator("table")).to_contain_text(username)
    pages["settings"] = base + "/settings"

    al = new_context().new_page()
    choose_own_password(al, base, "al")
    add_client_and_session(al, base, "Casey Lin")
    draft_by_mouse(al)
    sign_by_mouse(al, OWN_PASSWORD)
    note_url = al.url

    sue = new_context().new_page()
    choose_own_password(sue, base, "sue")
    sue.goto(base + "/")
    sue.locator("#h-cosign + ul").get_by_role("link", name="Casey Lin").click()
    sue.get_by_role("button", name="Return to author").click()  # an empty comment: the browser holds the form
    assert sue.locator(".returned").count() == 0
    sue.get_by_label(re.compile("Return to the author with a comment")).fill(
        "Name the client's response to the box breathing.")
    sue.get_by_role("button", name="Return to author").click()
    sue.wait_for_url(note_url + "#returns")
    expect(sue.locator(".returned.open")).to_contain_text("Name the client's response to the box breathing.")
    pages["returned note, supervisor"] = (sue, note_url)

    al.goto(base + "/")
    returned = al.locator("#returned")
    expect(returned).to_contain_text("Casey Lin")
    pages["today, returned"] = (al, base + "/")
    returned.get_by_role("link", name="Casey Lin").click()
    assert "Sue Park returned this note to you" in al.locator("#return-notice").inner_text()
    assert "Name the client's response" in al.locator(".returned").inner_text()
    shoot(al, "returned-note")
    pages["returned note, author"] = (al, note_url)


def test_no_page_scrolls_sideways_at_390_px_and_the_note_and_sign_box_come_before_the_sources(site, dana, new_context, shoot):
    urls = _every_page(site, dana, new_context)
    wide, tables = [], []
    for name, (page, url) in urls.items():
        page.set_viewport_size(PHONE)
        page.goto(url)
        page.wait_for_load_state("load")
        widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        if widths[0] > widths[1]:
            wide.append((name, widths, _widest(page)))
        if name == "note":
            note, sign, sources = (page.locator(f"#{i}").bounding_box() for i in ("h-note", "h-sign", "sources"))
            assert note["y"] < sign["y"] < sources["y"], (note, sign, sources)  # signing is not screens away
            shoot(page, "phone-note")
        for viewport in (PHONE, {"width": 1280, "height": 800}):
            page.set_viewport_size(viewport)
            tables += [(name, viewport["width"], t) for t in _tables_past_their_card(page)]
    assert not wide, wide
    assert not tables, tables


def test_no_page_has_a_serious_or_critical_accessibility_violation(site, dana, new_context, no_serious_violations):
    failures = []
    for name, (page, url) in _every_page(site, dana, new_context).items():
        for viewport in ({"width": 1280, "height": 800}, PHONE):
            page.set_viewport_size(viewport)
            page.goto(url)
            try:
                no_serious_violations(page)
            except AssertionError as violations:
                failures.append((name, viewport["width"], str(violations)))
    assert not failures, failures


def _every_page(site, dana, new_context) -> dict:
    """name -> (a page signed in as who sees it, its URL): every screen of afternote."""
    base, pages = site["base"], site["pages"]
    client_url = pages["client"]
    if "new note" not in pages:  # a session whose note is not written yet
        dana.goto(client_url)
        dana.get_by_label("Start").fill("15:00")
        dana.get_by_label("or minutes").fill("45")
        dana.get_by_role("button", name="Add session and write its note").click()
        dana.wait_for_url(re.compile(r"/appointments/[0-9a-f]{32}/note$"))
        pages["new note"] = dana.url
    if "plan" not in pages:
        dana.goto(client_url)
        dana.get_by_role("link", name="Start a treatment plan").click()
        pages["new plan"] = dana.url
        dana.get_by_label("Start date").fill("2026-01-05")
        dana.get_by_label("The problem").fill("Generalized anxiety interfering with work")
        dana.get_by_label("Goal", exact=True).fill("Reduce anxiety at work")
        dana.get_by_role("button", name="Save the plan").click()
        dana.wait_for_url(re.compile(r"/treatment-plans/[0-9a-f]{32}"))
        pages["plan"] = dana.url
    if "anonymous" not in site:
        site["anonymous"] = new_context().new_page()
    anonymous = site["anonymous"]
    out = {"first run": (anonymous, site["fresh"] + "/setup"), "sign-in": (anonymous, base + "/sign-in"),
           "today": (dana, base + "/"), "clients": (dana, base + "/clients"), "client": (dana, client_url),
           "new note": (dana, pages["new note"]), "note": (dana, pages["note"]),
           "versions": (dana, pages["note"] + "/versions"), "signed note": (dana, pages["signed note"]),
           "print": (dana, pages["signed note"] + "/print"), "new plan": (dana, pages["new plan"]),
           "plan": (dana, pages["plan"]), "settings": (dana, pages["settings"]),
           "not found": (dana, base + "/notes/" + "0" * 32)}
    out.update({name: pages[name] for name in ("today, returned", "returned note, author",
                                               "returned note, supervisor")})
    return out


def _widest(page) -> list:
    """The elements that reach past the page's right edge, to say what scrolls sideways."""
    return page.evaluate("""() => { const w = document.documentElement.clientWidth;
        return [...document.querySelectorAll('main *, header *')].filter(e => e.getBoundingClientRect().right > w + 1)
            .slice(0, 5).map(e => e.tagName + (e.id ? '#' + e.id : '') + '.' + (e.className || '') + ' ' +
                                 Math.round(e.getBoundingClientRect().right)); }""")


def _tables_past_their_card(page) -> list:
    """Tables wider than the card (or section) they are in."""
    return page.evaluate("""() => [...document.querySelectorAll('main table')].filter(t => {
            const box = t.closest('.card, section, main');
            return t.getBoundingClientRect().right > box.getBoundingClientRect().right + 0.5;
        }).map(t => (t.id || t.className || t.querySelector('caption')?.textContent || 'table'))""")
