"""Usernames: NFKC-normalized, unique within a practice (not across practices), free of invisible and markup
characters; signing in finds the user by name and password among the practices that have the name."""
import uuid

import pytest

from afternote.errors import InputError
from testkit.records import PASSWORD
from afternote.workflow import users


def practice(db):
    tag = uuid.uuid4().hex[:8]
    return users.create_practice(db, f"Practice {tag}", username=f"owner-{tag}", password=PASSWORD,
                                 display_name="Owner")


def add(db, owner, username, password=PASSWORD):
    return users.add_user(db, owner, username=username, password=password, display_name="Someone")


@pytest.mark.parametrize("name", ["dana\u200bw", "dana\u200dw", "\u202edanaw", "dana\u2066w", "dana\x07w"])
def test_a_username_with_an_invisible_character_is_refused(db, name):
    with pytest.raises(InputError, match="invisible or control characters"):
        add(db, practice(db), name)


@pytest.mark.parametrize("name", ["<b>dana</b>", "dana&co", 'da"na', "dana w"])
def test_a_username_with_markup_characters_or_spaces_is_refused(db, name):
    with pytest.raises(InputError, match="one word"):
        add(db, practice(db), name)


def test_nfkc_equivalent_names_collide_within_a_practice(db):
    owner, tag = practice(db), uuid.uuid4().hex[:6]
    made = add(db, owner, f"ｄａｎａ{tag}")  # fullwidth letters: NFKC makes them plain
    assert made.username == f"dana{tag}"
    with pytest.raises(InputError, match="taken in this practice"):
        add(db, owner, f"dana{tag}")


def test_the_same_username_in_two_practices_is_two_users(db):
    name = f"dana{uuid.uuid4().hex[:6]}"
    first = add(db, practice(db), name)
    second = add(db, practice(db), name, password=PASSWORD + " two")
    assert first.practice_id != second.practice_id
    # the password tells them apart at sign-in
    assert users.login(db, name, PASSWORD, source="test").user_id == first.user_id
    assert users.login(db, name, PASSWORD + " two", source="test").user_id == second.user_id
    # and a look-alike spelling typed at sign-in is the same name
    assert users.login(db, name.replace("dana", "ｄａｎａ"), PASSWORD, source="test").user_id == first.user_id
