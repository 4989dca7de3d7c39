"""Totals of rating scales as clinicians type them: today's total is read, with the span of the typed number; an
earlier total, a change, a pending screen, an unknown or shared name gives nothing; an impossible total is flagged."""
import re

import pytest
from hypothesis import assume, given, settings, strategies as st

from afternote.reading.instruments import instrument, instruments, reading_words
from afternote.reading.measures import TypedDate, _names, find_scores


def totals(key_points: str) -> list[tuple[str, float]]:
    return [(s.instrument, s.value) for s in find_scores(key_points)]


@pytest.mark.parametrize("typed", [
    "PHQ-9 14", "PHQ9: 14", "PHQ-9 = 14/27", "phq 9 was 14", "Phq-9 score of 14", "PHQ-9 total score: 14",
    "PHQ–9 14", "PHQ 9 = 14", "PHQ-9 (14)", "PHQ-9: 14/27 (moderate)", "PHQ-9 14 out of 27", "PHQ-9 was 14 today",
    "PHQ-9 administered, 14", "Patient Health Questionnaire-9 total 14", "PHQ-9 14.", "PHQ-9 came back 14",
    "PHQ-9 improved to 14", "PHQ-9 went from 19 to 14", "PHQ-9 from 19 to 14", "PHQ-9 19 -> 14", "PHQ-9 19 → 14",
    "PHQ-9 previously 19, now 14", "PHQ-9 was 19 last session; today 14", "PHQ-9 14 (down from 19)",
    "PHQ-9 14, previously 19", "PHQ-9 baseline 22, now 14", "PHQ-9 14 (prev 19)", "PHQ-9 22 -> 19 -> 14",
])
def test_todays_phq9_is_read_from_each_typed_variant(typed):
    key_points = f"Pt reports low mood most days. {typed} Plan: f/u 1wk."
    scores = find_scores(key_points)
    assert [(s.instrument, s.value) for s in scores] == [("phq9", 14)]
    assert key_points[scores[0].start:scores[0].end] == "14"
    assert not scores[0].out_of_range


@pytest.mark.parametrize("typed", [
    "PHQ-9 pending", "PHQ-9 not given", "PHQ-9 not administered today", "PHQ-9 deferred to next session",
    "PHQ-9 declined", "PHQ-9 in 2 weeks", "PHQ-9 at 2 wks", "PHQ-9 down 4", "PHQ-9 improved by 3 points",
    "PHQ-9 (last week 18)", "PHQ-9 18 last session", "PHQ-9 14 two weeks ago", "PHQ-9 from 18", "PHQ-9 2x/wk",
    "PHQ-9 and GAD-7 were 14 and 12", "PHQ-9/GAD-7: 14/12", "PHQ-9, GAD-7 given: 14, 12", "14/27",
    "Score 14/27 today", "PHQ-90 14", "XPHQ-9 14", "C-SSRS 2", "C-SSRS positive", "XYZ-9 14", "BDI 22", "PCL 40",
    "audit 12 items reviewed", "PHQ-9\n14 sessions so far", "PHQ-9 14th", "PHQ-9 the 14th",
])
def test_no_total_is_read_where_none_is_given_for_today(typed):
    assert find_scores(f"Client engaged. {typed}. Plan: continue CBT.") == []


def test_an_earlier_total_is_never_taken_for_todays():
    key_points = "GAD-7 12 (down from 15). PCL-5 52 at intake, 38 today."
    scores = find_scores(key_points)
    assert totals(key_points) == [("gad7", 12), ("pcl5", 38)]
    typed = [key_points[s.start:s.end] for s in scores]
    assert "15" not in typed and "52" not in typed


def test_several_instruments_in_one_line_each_get_their_own_total():
    key_points = "Scores today: PHQ-9 14, GAD-7: 12/21; PCL-5 = 40/80, AUDIT-C 2, DAST-10 0, K10 24, CORE-10 13."
    assert totals(key_points) == [("phq9", 14), ("gad7", 12), ("pcl5", 40), ("auditc", 2), ("dast10", 0),
                                  ("k10", 24), ("core10", 13)]


def test_every_instrument_is_read_by_each_of_its_names():
    for inst in instruments().values():
        for name in inst.names + inst.capitals_only:
            typed = f"{name} {int(inst.low)}/{inst.out_of}" if inst.out_of else f"{name} {int(inst.low)}"
            found = find_scores(f"Noted: {typed}.")
            assert [(s.instrument, s.value) for s in found] == [(inst.key, inst.low)], (inst.key, name)


def test_a_date_typed_beside_a_total_is_kept_with_it():
    assert [s.on for s in find_scores("PHQ-9 on 3/2: 11")] == [TypedDate(3, 2)]
    assert [s.on for s in find_scores("PHQ-9 (3/2) 11")] == [TypedDate(3, 2)]
    assert [s.on for s in find_scores("PHQ-9 11 on 3/2/26")] == [TypedDate(3, 2, 2026)]
    assert [s.on for s in find_scores("PHQ-9 on 2026-03-02: 11")] == [TypedDate(3, 2, 2026)]
    assert [(s.value, s.on) for s in find_scores("PHQ-9 3/27")] == [(3, None)]  # 3 out of 27, not March 27
    assert [(s.value, s.on) for s in find_scores("PHQ-9 12/27, 11 last week")] == [(12, None)]
    assert [s.on for s in find_scores("PHQ-9 14")] == [None]


def test_suds_out_of_ten_is_its_own_scale_and_never_multiplied():
    assert totals("SUDS 7/10 at start, 4/10 at end") == [("suds10", 7)]
    assert totals("SUDS 7 out of 10") == [("suds10", 7)]
    assert totals("SUDS 70") == [("suds", 70)]
    assert totals("SUDS 7") == [("suds", 7)]  # with no "out of", SUDS is Wolpe's 0-100


def test_ors_and_srs_are_read_to_a_tenth():
    assert totals("ORS 23.4, SRS 37.5") == [("ors", 23.4), ("srs", 37.5)]
    assert [s.problem for s in find_scores("ORS 23.45")] == ["not in steps of 0.1"]


def test_audit_counts_only_in_capitals_but_audit_c_in_any_case():
    assert totals("Reviewed the audit 12 times") == []
    assert totals("AUDIT 12") == [("audit", 12)]
    assert totals("audit-c 3, Audit-C 4") == [("auditc", 3), ("auditc", 4)]


@pytest.mark.parametrize("typed, problem", [
    ("PHQ-9 31", "outside 0-27"), ("GAD-7 22", "outside 0-21"), ("K10 5", "outside 10-50"),
    ("PHQ-9 14.5", "not a whole number"), ("ORS 41", "outside 0-40"), ("PHQ-9 14/21", "typed out of 21"),
    ("EPDS 31/30", "outside 0-30"),
])
def test_a_total_the_instrument_cannot_give_is_flagged_not_dropped(typed, problem):
    (score,) = find_scores(typed)
    assert score.out_of_range and problem in score.problem


def test_bands_cover_each_instruments_range_without_gaps_or_overlaps():
    for inst in instruments().values():
        if not inst.bands:
            continue
        assert inst.bands[0].low == inst.low and inst.bands[-1].high == inst.high, inst.key
        for before, after in zip(inst.bands, inst.bands[1:]):
            assert round(after.low - before.high, 6) == inst.step, (inst.key, before, after)


def _loinc_check_digit(number: str) -> int:
    """LOINC's mod-10 check digit (the LOINC Users' Guide): odd places from the right doubled, digits summed."""
    total = sum(sum(divmod(int(digit) * (2 if place % 2 == 0 else 1), 10))
                for place, digit in enumerate(reversed(number)))
    return -total % 10


def test_loinc_codes_in_the_table_are_well_formed_with_their_check_digit():
    coded = {inst.key: inst.loinc for inst in instruments().values() if inst.loinc}
    assert coded["phq9"] == "44261-6" and coded["gad7"] == "70274-6"
    assert _loinc_check_digit("12345") == 5  # the guide's worked example
    for key, code in coded.items():
        number, _, check = code.partition("-")
        assert re.fullmatch(r"\d{4,6}-\d", code) and _loinc_check_digit(number) == int(check), (key, code)


def test_phq9_bands_follow_kroenke_2001():
    phq9 = instrument("phq9")
    assert [phq9.band_of(v).label for v in (0, 4, 5, 9, 10, 14, 15, 19, 20, 27)] == [
        "minimal", "minimal", "mild", "mild", "moderate", "moderate", "moderately severe", "moderately severe",
        "severe", "severe"]
    assert phq9.band_of(28) is None


# --- properties ---------------------------------------------------------------------------------------------------

TYPED_NAMES = [(inst.key, name) for inst in instruments().values() if inst.out_of is None
               for name in inst.names + inst.capitals_only]
READING_WORDS = {word for words in reading_words().values() for phrase in words for word in phrase.split()
                 if word.isalpha()}
SAFE_TEXT = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz .;"), max_size=40)


def _variant(name: str, draw) -> str:
    """The name as a clinician might type it: another case, and another separator between letters and digits."""
    if name.isupper() and any(c.isalpha() for c in name) and draw(st.booleans()):
        return name  # capitals-only names stay in capitals
    sep = draw(st.sampled_from(["-", " ", "", "–"]))
    typed = re.sub(r"(?<=[A-Za-z])[\s\-–]?(?=\d)", sep, name)
    return typed if draw(st.booleans()) else typed.upper()


@st.composite
def typed_total(draw):
    key, name = draw(st.sampled_from(TYPED_NAMES))
    inst = instrument(key)
    if name in inst.capitals_only:
        typed_name = name
    else:
        typed_name = _variant(name, draw)
    value = draw(st.integers(int(inst.low), int(inst.high)))
    between = draw(st.sampled_from([" ", ": ", " = ", " was ", " score ", " total score: ", " scored ", " - "]))
    after = draw(st.sampled_from(["", f"/{int(inst.high)}", f" out of {int(inst.high)}"]))
    before, tail = draw(SAFE_TEXT), draw(SAFE_TEXT)
    key_points = f"{before} {typed_name}{between}{value}{after}. {tail}"
    return key_points, key, value, len(before) + 1, len(before) + 1 + len(typed_name) + len(between)


@settings(max_examples=300, deadline=None)
@given(typed_total())
def test_a_typed_total_is_read_once_with_its_span_on_the_number(case):
    key_points, key, value, name_at, at = case
    # the text around it may spell another name by chance ("isi"): then it is another mention, not this one's
    assume(not any(pattern.search(key_points[:name_at]) or pattern.search(key_points[at + len(str(value)):])
                   for pattern, _ in _names()))
    # nor a word the reader reads around a total ("earlier BDI-II 9" is an earlier total, rightly not read):
    # Hypothesis draws the table's own words from the source, so random letters do spell them
    around = key_points[:name_at] + " " + key_points[at + len(str(value)):]
    assume(not set(re.findall(r"[a-z]+", around.lower())) & READING_WORDS)
    scores = find_scores(key_points)
    assert [(s.instrument, s.value) for s in scores] == [(key, value)]
    assert (scores[0].start, scores[0].end) == (at, at + len(str(value)))
    assert not scores[0].out_of_range


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from("PHQGAD-79 0123456789/:=.,()\n tolastfrmwek"), max_size=60))
def test_a_score_is_never_invented(key_points):
    """Whatever is typed, every score read is a number typed right there, after an instrument's name."""
    for score in find_scores(key_points):
        typed = key_points[score.start:score.end]
        assert re.fullmatch(r"\d+(\.\d+)?", typed) and float(typed) == score.value
        assert score.name_end <= score.start
        assert instrument(score.instrument)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_text_with_no_instrument_name_gives_no_score(key_points):
    assume(not any(pattern.search(key_points) for pattern, _ in _names()))
    assert find_scores(key_points) == []


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 27), st.integers(0, 27), st.sampled_from([
    "PHQ-9 {today} (down from {earlier})", "PHQ-9 previously {earlier}, now {today}", "PHQ-9 from {earlier} to {today}",
    "PHQ-9 {earlier} -> {today}", "PHQ-9 {earlier} last session, {today} today", "PHQ-9 baseline {earlier}; now {today}",
    "PHQ-9 {today}, prev {earlier}"]))
def test_an_earlier_total_typed_beside_todays_is_passed_over(today, earlier, shape):
    key_points = shape.format(today=today, earlier=earlier)
    (score,) = find_scores(key_points)
    assert score.value == today
    assert key_points[score.start:score.end] == str(today)
    assert score.start == len(shape.split("{today}")[0].format(earlier=earlier))


def test_a_name_after_an_earlier_word_is_an_earlier_total():
    assert totals("Last PHQ-9 was 18; referred after EPDS of 21 at the 2-month visit. Baseline GAD-7 15.") == []


def test_a_possessive_before_the_name_is_kept_with_the_total():
    assert [(s.instrument, s.whose) for s in find_scores("her EPDS 12, partner's PHQ-9 11, PCL-5 40")] == [
        ("epds", "her"), ("phq9", "partner's"), ("pcl5", None)]


def test_a_run_of_ratings_is_not_a_total_out_of_a_maximum():
    assert totals("SUDS 60/45/30. SUDS 50/25. SUDS 75/90/80/60") == []
    assert totals("SUDS 8/10 -> 4/10") == [("suds10", 4)]


def test_long_key_points_full_of_names_are_read_quickly():
    import time
    started = time.perf_counter()
    assert len(find_scores("PHQ-9 14, GAD-7 PHQ-9 " * 8000)) == 8000  # names overlapping checks stay linear
    assert time.perf_counter() - started < 5


@pytest.mark.parametrize("typed, key", [
    ("PHQ-9", "phq9"), ("phq9 every 2 weeks", "phq9"), ("GAD-7 total", "gad7"), ("SUDS", "suds"),
    ("Patient Health Questionnaire-9", "phq9"), ("sleep log", None), ("", None), ("PCL", None)])
def test_an_objectives_measure_names_its_instrument(typed, key):
    from afternote.reading.measures import instrument_named
    assert instrument_named(typed) == key
