"""Issue 25, round 6: markdown tables, picks marked beside an option, flags as values, lone emoji,
declines with their object between, and counterfactuals opened inside a sentence."""

import pytest

from somekit.answers.extract import extract_label


@pytest.mark.parametrize("task, answer, label", [
    # a verdict row: its last filled cell
    ("ubp", "| aspect | reading |\n|---|---|\n| interests | close |\n| **final prediction** | **no** |", "no"),
    ("ucs", "| 项目 | 结果 |\n|---|---|\n| 用词 | 相近 |\n| 答案 | 是 |", "yes"),
    ("uea", "| step | note |\n|---|---|\n| tone | bitter |\n| label | sad |", "sad"),
    # a verdict column over one data row
    ("mcr", "| interest | topic | fit | recommend |\n|---|---|---|---|\n| cooking | knife review | high | yes |", "yes"),
    ("mcr", "| 兴趣 | 主题 | 推荐 |\n|---|---|---|\n| 摄影 | 股票 | 否 |", "no"),
    # a tick column over the label list
    ("uea", "| label | fits |\n|---|---|\n| positive | ✗ |\n| angry | ✓ |\n| sad | ✗ |", "angry"),
    ("mid-zh", "| 选项 | 是否 |\n|---|---|\n| 谣言 | ✗ |\n| 非谣言 | ✓ |", "non-rumor"),
])
def test_a_table_gives_its_verdict_cell(task, answer, label):
    assert extract_label(task, answer).label == label


@pytest.mark.parametrize("task, answer", [
    # a verdict column over several rows, two ticked labels, evidence only: no label
    ("mcr", "| item | recommend |\n|---|---|\n| clip 1 | yes |\n| clip 2 | no |"),
    ("uea", "| label | fits |\n|---|---|\n| sad | ✓ |\n| fear | ✓ |\n| angry | ✗ |"),
    ("ubp", "| signal | strength |\n|---|---|\n| topic | strong |\n| history | weak |"),
])
def test_a_table_without_one_verdict_gives_none(task, answer):
    assert extract_label(task, answer).label is None


@pytest.mark.parametrize("task, answer, label", [
    ("mcr", "(A) recommend\n(B) do not recommend <- chosen", "no"),
    ("mcr", "A. 推荐 ✓\nB. 不推荐", "yes"),
    ("mid-zh", "1. 谣言\n2. 非谣言 ← 我的选择", "non-rumor"),
    ("uea", "(a) angry (b) sad ✔ (c) fear", "sad"),
])
def test_a_mark_beside_one_option_picks_it(task, answer, label):
    assert extract_label(task, answer).label == label


@pytest.mark.parametrize("task, answer", [("mid-zh", "A. 谣言\nB. 非谣言"), ("mcr", "(A) 推荐 (B) 不推荐"),
                                          ("mid-zh", "A. 谣言 ✔\nB. 非谣言 ✔")])
def test_an_unpicked_label_list_is_no_verdict_and_no_fallback_guess(task, answer):
    found = extract_label(task, answer)
    assert found.label is None and found.hedged


@pytest.mark.parametrize("task, answer, label", [
    ("mcr", "recommend=1", "yes"), ("mcr", "recommend: 0", "no"), ("ubp", '{"will_like": 0}', "no"),
    ("ubp", '{"will_repost": 1, "confidence": 0.8}', "yes"),
    ("ucs", "author: different", "no"), ("ucs", "same_author = same\nconfidence = low", "yes"),
])
def test_a_flag_answers_a_yes_no_key(task, answer, label):
    assert extract_label(task, answer).label == label


def test_a_number_under_a_verdict_key_is_no_flag():
    # "answer: 1" may name an option: only a key that asks the question reads a flag
    assert extract_label("ubp", "answer: 1").label is None


@pytest.mark.parametrize("task, answer, label", [
    ("ubp", "👍", "yes"), ("ucs", "❌", "no"), ("uea", "😭", "sad"), ("uea", "😱", "fear"),
    ("ucs", "❌ not the same user", "no"),
])
def test_a_lone_emoji_of_the_fixed_set(task, answer, label):
    assert extract_label(task, answer).label == label


@pytest.mark.parametrize("task, answer", [
    ("mid-zh", "很遗憾，我无法就这条消息作出真伪判定。"),
    ("mid", "I can't assess whether this statement is true."),
    ("uea", "无法对这条评论进行情绪判断"),
])
def test_a_decline_with_its_object_between_is_no_label(task, answer):
    found = extract_label(task, answer)
    assert found.label is None and found.rule == "unanswerable"


@pytest.mark.parametrize("task, answer, label", [
    ("ubp", "She rarely reposts anything, so if the question were about reposting I would say no. "
            "It asks about likes, and she likes his posts every day. Yes.", "yes"),
    ("mcr", "Might she enjoy it? Possibly, tastes change. Should we show it? Given her last 50 skips, no.", "no"),
    ("ucs", "Cosine similarity 0.34, well under the usual 0.8. No.", "no"),
    ("mid-zh", "谣言可能性约 90%，判为谣言。", "rumor"),
    ("ucs", "Spelling differs and the timing is off. So the answer must be no.", "no"),
    ("ucs", "Final answer (B) no", "no"),
    ("uea", "這段話的情緒是驚訝", "surprise"),
    ("uea", "只是在报时间，没有任何情感色彩", "emotionless"),
])
def test_round6_verdict_forms(task, answer, label):
    assert extract_label(task, answer).label == label


def test_an_if_inside_a_sentence_is_a_counterfactual_only_after_a_comma_or_so():
    # "even if it were" concedes; the verdict before it stands
    assert extract_label("ubp", "He likes everything she posts, so yes, even if this one were dull.").label == "yes"
    assert extract_label("mcr", "She never watches horror, so if the clip were a comedy I'd say yes. It is horror. No.").label == "no"


def test_a_yes_no_question_answered_yes_still_decides():
    # only a question about what is possible, before a later question, yields to it
    assert extract_label("ucs", "Could the user have written this? Yes.").label == "yes"
    assert extract_label("mid-zh", "不判为谣言。").label != "rumor"


# Round 7 (batch I): options defined inline and picked after them, marks after an arrow, lone ticks
# and crosses, and a field that closes on an arrow to its label. Phrasings are our own, not batch I's.
@pytest.mark.parametrize("task, answer, label", [
    # options tagged "X=" and the pick after the last one, on the same line
    ("mid", "Choices here: A=true, B=half, C=false; my answer is C.", "false"),
    ("mid", "1=true, 2=half, 3=false. The answer would be 2", "half"),
    ("mid", "A) true  B) half  C) false -- I'd go with A", "true"),
    ("mcr", "(A) 推荐 (B) 不推荐 I choose (A)", "yes"),
    # a tick or a cross after an arrow from the verdict key or the question
    ("ubp", "Final answer -> ✗", "no"),
    ("ucs", "Verdict ⇒ ✓", "yes"),
    ("mcr", "Recommend → ✘", "no"),
    # lone ticks and crosses beyond the emoji
    ("ucs", "✓", "yes"),
    ("mcr", "✘.", "no"),
    ("ubp", "✗", "no"),
    # a closing field whose value leads by an arrow to the label
    ("mid", "Evidence: thin.\nRating: 40% => half", "half"),
    ("uea", "Tone: bitter -> sad", "sad"),
])
def test_round7_verdict_forms(task, answer, label):
    assert extract_label(task, answer).label == label


@pytest.mark.parametrize("task, answer", [
    # "is" before a lower-case word is no pick: "a" is an article there
    ("mid", "Options: A=true, B=half, C=false, and the answer is a hard one."),
    # a tick beside a head that is neither the question nor a label is no verdict
    ("mcr", "Topic match → ✓"),
    # a tick on a task without yes/no is no label
    ("uea", "✓"),
    # a form that gives the same key a tick and a cross contradicts itself
    ("ubp", "Verdict: ✔\nVerdict: ✘"),
    # an arrow from a field to a hedge is no label
    ("mid", "Truthfulness: half → not sure"),
])
def test_round7_forms_that_stay_undecided(task, answer):
    assert extract_label(task, answer).label is None
