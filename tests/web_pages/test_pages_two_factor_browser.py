"""Two-factor sign-in in a real browser: turned on from Settings (the QR code, the secret as text, a current code
typed, the recovery codes shown once), then a sign-in asks for the code after the password (computed here with
pyotp from the secret the page showed), refuses a code already used, and a recovery code signs in once.
axe-core finds nothing serious on the enrolment page, the recovery codes, the code step and Settings."""
from __future__ import annotations

import re
import time

import pyotp
import pytest
from playwright.sync_api import expect

PASSWORD = "a long enough password"


@pytest.fixture(scope="module")
def dana(another_server, new_context, create_practice):
    """A practice of its own (its owner turns two-factor on, which no other module should meet), signed in."""
    with another_server() as base:
        context = new_context()
        page = context.new_page()
        page.goto(base + "/")
        create_practice(page, base, PASSWORD)
        yield {"page": page, "base": base, "context": context}


def sign_in_with_password(page, base: str) -> None:
    page.goto(base + "/sign-in")
    page.get_by_label("Username").fill("dana")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/sign-in"))


def code_at(secret: str, steps_from_now: int) -> str:
    return pyotp.TOTP(secret).at(time.time() + 30 * steps_from_now)


def test_enrolment_then_a_sign_in_that_asks_for_the_code(dana, shoot, no_serious_violations):
    page, base = dana["page"], dana["base"]
    page.goto(base + "/settings")
    page.get_by_role("link", name="Turn on two-factor sign-in").click()
    page.wait_for_url(base + "/settings/two-factor")
    expect(page.locator(".qr svg")).to_be_visible()
    secret = page.locator("#two-factor-secret").inner_text().replace(" ", "")
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    no_serious_violations(page)
    shoot(page, "two-factor-enrolment")
    page.set_viewport_size({"width": 390, "height": 844})  # a phone: the QR code and the secret fit, no sideways scroll
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1360, "height": 900})

    wrong = "000000" if pyotp.TOTP(secret).now() != "000000" else "111111"
    page.get_by_label("Code from the app").fill(wrong)
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.locator("#two-factor-error")).to_contain_text("does not match")
    expect(page.locator(".qr svg")).to_be_visible()  # still off: the same secret to try again
    assert page.locator("#two-factor-secret").inner_text().replace(" ", "") == secret

    used = pyotp.TOTP(secret).now()
    page.get_by_label("Code from the app").fill(used)
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    codes = page.locator("#recovery-codes li code").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-9]{5}-[a-z2-9]{5}", c) for c in codes)
    no_serious_violations(page)
    dana["secret"], dana["codes"], dana["used"] = secret, codes, used
    page.goto(base + "/settings/two-factor")
    expect(page.locator("#two-factor-on")).to_contain_text("10 unused recovery codes")
    assert page.locator("#recovery-codes").count() == 0  # shown once

    sign_out(page)
    sign_in_with_password(page, base)
    page.wait_for_url(re.compile(r"/sign-in/code"))
    no_serious_violations(page)
    shoot(page, "two-factor-sign-in")
    other = dana["context"].new_page()  # the password alone signs nobody in: another tab is sent to sign in
    other.goto(base + "/clients")
    assert "/sign-in" in other.url and "/sign-in/code" not in other.url
    other.close()

    page.get_by_label("Code").fill(used)  # the code that turned it on: its step is spent
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#code-error")).to_contain_text("used already")
    page.get_by_label("Code").fill(code_at(secret, 1))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(base + "/")
    page.goto(base + "/clients")
    assert page.url == base + "/clients"


def test_a_recovery_code_signs_in_once(dana, no_serious_violations):
    page, base = dana["page"], dana["base"]
    codes = dana["codes"]
    sign_out(page)
    sign_in_with_password(page, base)
    page.wait_for_url(re.compile(r"/sign-in/code"))
    page.get_by_label("Code").fill(codes[0].upper())
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(base + "/")

    sign_out(page)
    sign_in_with_password(page, base)
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#code-error")).to_contain_text("not right")
    no_serious_violations(page)
    page.get_by_label("Code").fill(codes[1])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(base + "/")
    page.goto(base + "/settings/two-factor")
    expect(page.locator("#two-factor-on")).to_contain_text("8 unused recovery codes")
    page.goto(base + "/settings")
    expect(page.locator("#two-factor-practice")).to_be_visible()
    no_serious_violations(page)
