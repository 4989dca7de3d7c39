"""Which statements each section holds: an empty required section takes the reader's next most likely statement."""
from afternote.drafting.placing import section_plan
from afternote.formats import get_format
from afternote.reading.risk import Risk
from afternote.reading.statements import Statement

BIRP = get_format("birp")


def statement(id, text, category, scores, sentence=None, **more):
    return Statement(id=id, start=id * 10, end=id * 10 + 5, text=text, sentence=id if sentence is None else sentence,
                     category=category, scores=tuple(scores), **more)


def keys(plan):
    return {key: [s.text for s in held] for key, held in plan.items()}


TAUGHT = statement(0, "taught box breathing", "intervention", [("intervention", 0.9)])
PLAN = statement(3, "f/u 1 wk", "plan", [("plan", 0.95)])


def test_an_empty_required_section_takes_the_statement_the_reader_next_thought_belonged_there():
    said = statement(1, "said it helped", "presenting", [("presenting", 0.55), ("response", 0.4)])
    sleep = statement(2, "sleep poor", "presenting", [("presenting", 0.9), ("response", 0.05)])
    plan = section_plan([TAUGHT, said, sleep, PLAN], BIRP)
    assert keys(plan)["response"] == ["said it helped"]
    assert plan["response"][0].category == "response"
    assert keys(plan)["behavior"] == ["sleep poor"]


def test_nothing_moves_on_a_weak_second_choice_or_out_of_risk_or_a_typed_heading():
    weak = statement(1, "sleep poor", "presenting", [("presenting", 0.9), ("response", 0.1)])
    risky = statement(2, "denies SI", "risk", [("risk", 0.6), ("response", 0.4)],
                      risks=(Risk("suicidal", "denied", "client", 0, 2),))
    typed = statement(4, "engaged", "presenting", [("presenting", 0.5), ("response", 0.45)], heading="presenting")
    other = statement(5, "appetite ok", "presenting", [("presenting", 0.95)])
    plan = section_plan([TAUGHT, weak, risky, PLAN, typed, other], BIRP)
    assert plan["response"] == []


def test_a_list_written_as_one_sentence_stays_whole():
    first = statement(1, "tense", "presenting", [("presenting", 0.5), ("response", 0.45)], sentence=1)
    second = statement(2, "fidgety", "presenting", [("presenting", 0.9)], sentence=1)
    plan = section_plan([TAUGHT, first, second, PLAN], BIRP)
    assert plan["response"] == [] and keys(plan)["behavior"] == ["tense", "fidgety"]


def test_a_section_never_gives_up_its_only_statement():
    said = statement(1, "said it helped", "presenting", [("presenting", 0.55), ("response", 0.4)])
    plan = section_plan([TAUGHT, said, PLAN], BIRP)
    assert keys(plan)["behavior"] == ["said it helped"] and plan["response"] == []
