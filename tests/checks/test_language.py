"""The builtin engine drafts English only: key points in another language or script are flagged."""
import pytest

import afternote
from afternote.checks.language import looks_english


def not_english(summary):
    note = afternote.draft(summary, format="dap", session={"duration_minutes": 50})
    return [f for f in note.findings if f.code == "summary-not-english"]


def test_english_shorthand_is_english():
    assert not_english("pt f/u for MDD. c/o low motivation, sleeping ~10h/day on wknds, skipping gym. PHQ-9 16. "
                       "SI/HI neg. used BA + problem-solving. pt engaged. HW: BA log. f/u 1wk") == []


def test_spanish_key_points_raise_a_warning():
    [warning] = not_english("La paciente reporta ansiedad en el trabajo desde que llegó un nuevo jefe; duerme unas "
                            "cinco horas por noche; niega ideación suicida u homicida. Se trabajó reestructuración "
                            "cognitiva. Plan: registro de pensamientos diario.")
    assert warning.severity == "warning" and "English" in warning.message


def test_non_latin_script_raises_a_warning():
    assert not_english("Клиентка сообщает о повышенной тревоге на работе; спит около пяти часов; "
                       "отрицает суицидальные мысли.")


@pytest.mark.parametrize("text", [
    "Le patient rapporte une anxiété accrue au travail depuis l'arrivée d'un nouveau responsable.",
    "Klientin berichtet über zunehmende Angst bei der Arbeit seit dem neuen Vorgesetzten.",
    "来访者报告工作焦虑增加，每晚睡眠约5小时，否认自杀意念。",
])
def test_other_languages_do_not_look_english(text):
    assert not looks_english(text)


def test_a_few_words_are_too_few_to_judge():
    assert looks_english("pt no-show, LVM")


def test_an_english_note_with_a_quote_in_another_language_is_english():
    assert looks_english("Client reported feeling hopeless at work and said 'no puedo más' when describing the "
                         "week. Used validation and grounding; client calmer by the end of session.")
