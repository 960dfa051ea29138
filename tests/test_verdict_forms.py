"""Answers shaped as forms rather than prose: JSON, YAML and markdown fields whose key asks the
task's question, fields run together on one line, a stated likelihood as a field, answer markers
and keys ("答案：否", "verdict is"), multiple-choice picks and boxed text, "option A (X) vs option B
(Y) ... I choose B", ticks and crosses bound to the question, a label or a verdict key, label-score
pairs, and a feed act or a passing-over as a one-line call ("👍 push it to her feed", "skip")."""

from __future__ import annotations

import pytest

from somekit.answers.extract import extract_label


def _read(task: str, answer: str) -> str | None:
    return extract_label(task, answer).label


@pytest.mark.parametrize("task, answer, label", [
    # several fields on one line: a separator counts only where another key follows it
    ("ucs", "verdict=否; score=0.31", "no"),
    ("mcr", "label: yes | confidence: medium", "yes"),
    ("uea", "emotion=fear, intensity=0.7", "fear"),
    ("mid", "rating: half-true; source: county budget report", "half"),
    ("ubp", "Answer: no, reason: she mutes sports, news and memes", "no"),
    # a stated likelihood of the asked act, as a field
    ("ubp", "Chance of a repost: low", "no"),
    ("ubp", "probability_of_comment: high", "yes"),
    ("ubp", "转发概率：高", "yes"),
    ("ubp", '{"chance_of_like": "50/50"}', None),          # no side taken: no label
    # options with their text in brackets, then the pick
    ("mcr", "Option A (recommend) or option B (not recommend)? Her saves are all recipes. I'd pick A.", "yes"),
    ("ubp", "选项A（会互动）和选项B（不会互动）之间，我选B，她从不看体育。", "no"),
    ("mcr", "Option A (recommend) vs option B (not recommend): both have merit.", None),   # no pick: no guess
    # a verdict key answered by a mark
    ("mcr", "Decision: 👍", "yes"),
    ("ucs", "Final answer: ✗", "no"),
    ("ubp", "结论：✅", "yes"),
    ("uea", "Answer: ✅", None),                             # a tick names no emotion
    ("mcr", "Recommend: ✘ (she unfollowed the account)", "no"),
    # the feed act, or passing the post over, as the whole call
    ("mcr", "👍 show it in his feed", "yes"),
    ("mcr", "surface this one to her", "yes"),
    ("mcr", "👎 pass on it for him", "no"),
    ("mcr", "skip this one", "no"),
    ("ubp", "✅ interact", "yes"),
    ("mcr", "跳过吧", "no"),
    ("mcr", "要推，完全是她的菜。", "yes"),
    ("mcr", "Topic match ✓", None),                         # a criterion ticked is no verdict
    ("ucs", "Authorship check: ✓ (same sign-off, same device)", "yes"),
    ("ucs", '{"authorship": "否"}', "no"),
    ("mcr", "Worth a spot in his feed: he collects vintage cameras.", "yes"),
    ("mcr", "It's fine content, but I'd hold it back for her.", "no"),
    ("mcr", "Recommend it? Don't.", "no"),
    ("mcr", "Show it? ✗. He skips every cooking video.", "no"),          # a mark, then its reason
    ("mcr", "强烈推荐，她收藏了这个博主的每一篇。", "yes"),
    ("ucs", "Someone else.", "no"),
    ("mcr", "Not for him: he left every fan group of this team.", "no"),
    ("ubp", "No repost. She only reposts charity drives.", "no"),
    ("mcr", "不建议推给他，他对游戏毫无兴趣。", "no"),
    ("mcr", "I'm not recommending it; she muted the topic.", "no"),
    ("ubp", "Will he repost it? Almost certainly: it's his own band's tour date.", "yes"),
    ("ucs", "A different person wrote this; the user never uses emoji.", "no"),
])
def test_form_answers(task, answer, label):
    assert _read(task, answer) == label


@pytest.mark.parametrize("task, answer, label", [
    # a key that asks the task's question, at any depth, holding a label word
    ("mid-zh", '{"analysis": {"rumor": "yes", "confidence": 0.9}}', "rumor"),
    ("mid-zh", '{"verdict": {"谣言": "否"}}', "non-rumor"),
    ("mcr", '{"should_recommend": "no", "why": "off-topic for her"}', "no"),
    ("mcr", '{"推荐": "是", "理由": "与用户兴趣一致"}', "yes"),
    ("uea", '{"sentiment": {"main": "sad", "other": "fear"}}', "sad"),
    # YAML and markdown forms: every line a field
    ("mcr", "```yaml\nrecommendation: yes\nscore: 0.7\n```", "yes"),
    ("mcr", "## 结论\n\n**推荐**：否\n\n**理由**：内容重复。", "no"),
    ("ucs", "Answer: 否 (wording and emoji habits differ from theirs)", "no"),
])
def test_structured_fields(task, answer, label):
    assert _read(task, answer) == label


@pytest.mark.parametrize("task, answer, label", [
    # an option list picked by "Selected:", "答：", "我选", tags without punctuation before Chinese
    ("uea", "Options: (a) happy (b) angry (c) sad\nSelected: (c)", "sad"),
    ("mcr", "可选：A 推荐  B 不推荐\n我选 B", "no"),
    ("mid-zh", "A. 谣言  B. 非谣言\n答：B", "non-rumor"),
    ("mid", "Choices: (1) true (2) half (3) false\nSelection: 1", "true"),
    # LaTeX text commands inside a box are typesetting
    ("ubp", r"\boxed{\text{No}}", "no"),
    ("uea", r"最终：\boxed{\textbf{悲伤}}", "sad"),
])
def test_option_picks_and_boxed_text(task, answer, label):
    assert _read(task, answer) == label


@pytest.mark.parametrize("task, answer, label", [
    # a mark bound to the task's act or question
    ("mcr", "Show in feed: ✗", "no"),          # showing it in the feed is the act MCR asks about (a feed verb)
    ("mcr", "Topic match: ✗", None),           # a criterion, not the act: left to other rules, no guess
    ("mcr", "Recommend ✘", "no"),
    ("mcr", "recommend — ✔", "yes"),
    ("ubp", "点赞：✗", "no"),
    ("ubp", "转发 ✓", "yes"),
    ("ubp", "✘ 不评论", "no"),                # a cross before a negated act underlines it
    ("mcr", "don't recommend ✔", "no"),
    ("ucs", "is_author: ✓", "yes"),
    # a mark bound to a label, one per line
    ("mid", "- true ✗\n- half ✗\n- false ✓", "false"),
    ("uea", "悲伤 ✓\n愤怒 ✗", "sad"),
    # a checkbox list with one option ticked, in either language
    ("mcr", "Decision: [ ] recommend  [x] don't recommend", "no"),
    ("ubp", "☑ 评论  ☐ 不评论", "yes"),
    ("mid-zh", "[x] 非谣言 [ ] 谣言", "non-rumor"),
    # marks that disagree, and a list with every box ticked, give nothing
    ("mcr", "Recommend: ✓\nRecommend: ✗", None),
    ("mid", "[x] true [x] false", None),
])
def test_ticks_and_crosses(task, answer, label):
    assert _read(task, answer) == label


@pytest.mark.parametrize("task, answer, label", [
    # an answer made only of label-score pairs: the clearly likeliest label
    ("ucs", "no 0.9 | yes 0.1", "no"),
    ("uea", "angry 0.65, sad 0.25, neutral 0.10", "angry"),
    ("mid-zh", "谣言 80%，非谣言 20%", "rumor"),
    # too close, or more than scores said: no reading
    ("ucs", "yes 0.55 / no 0.45", None),
    ("mcr", "yes 0.8 since she follows the author / no 0.2", None),
])
def test_label_scores(task, answer, label):
    assert _read(task, answer) == label


@pytest.mark.parametrize("task, answer, label", [
    ("mid", "I weighed whether to downgrade it to half-true and decided against it. Rating: true.", "true"),
    ("mid", "考虑过是否改为半真，最终结论：真。", "true"),
    ("mid", "I'd rate it mostly false.", "half"),
    ("ucs", "The answer to whether this user wrote it is no.", "no"),
    ("ucs", '{"是否为该用户发表": false}', "no"),
    ("mid", "说的是事实，数据和统计局公布的一致。", "true"),
    ("mid", "与事实不符，官方从未发布过这个数字。", "false"),
])
def test_markers_keys_and_fact_words(task, answer, label):
    assert _read(task, answer) == label


@pytest.mark.parametrize("task, answer, label", [
    # a hedge under the verdict key or the question key is no verdict, whatever the key's words say
    ("ubp", '{"will_repost": "unsure"}', None),
    ("mcr", "recommend: perhaps", None),
    ("uea", '{"label": "undecided", "notes": "short post"}', None),
    ("mid", '{"verdict": "50/50"}', None),
    # the verdict under another key name, with commentary beside it
    ("uea", '{"emotion_pred": "fear", "scores": {"fear": 0.5, "sad": 0.3}}', "fear"),
    ("mid", '{"final_label": "half-true", "label_probabilities": {"true": 0.3, "half": 0.6}}', "half"),
    ("mid-zh", '{"predicted_class": "rumour", "confidence": 0.8}', "rumor"),
    # the act as the verdict: a JSON field or a call with keyword arguments
    ("mcr", '{"action": "skip", "post": "p9"}', "no"),
    ("mcr", "feed.rank(post='p2', action='recommend')", "yes"),
    # ... but after the question's own key, which names the act only weighed
    ("ubp", '{"will_like": false, "action": "like"}', "no"),
    # an arrow after a verdict key, and a place on a scale
    ("ucs", "Decision -> yes (same signature emoji as her other comments)", "yes"),
    ("mid-zh", "Label ⇒ not a rumour; the city's own notice says the same.", "non-rumor"),
    ("mid", "Weighing it all, the claim falls at false on the scale.", "false"),
    ("mid", "It rates as true: every figure matches the report.", "true"),
    # a label glossed in brackets after the act; a gloss that disagrees leaves it open
    ("mcr", "Show it to her (yes): she saves every recipe post.", "yes"),
    ("mcr", "Push it to her feed (否).", None),
    # options ended by a Chinese full stop, then a bare 选
    ("mid-zh", "A. 谣言 B. 非谣言。官方通报与帖子一致。选 B。", "non-rumor"),
])
def test_round5_forms(task, answer, label):
    assert _read(task, answer) == label


@pytest.mark.parametrize("task, answer, label", [
    # a conclusion withheld in the last sentence: the scale it names is no verdict
    ("mid", "说法涉及未来的政策，目前没有任何公开文件。这种说法不适合按真、假来评判，我不下结论。", None),
    ("mid", "It is a forecast about next year's prices. I won't give a verdict on a prediction.", None),
    # ... while a verdict in the last sentence still stands
    ("mid", "我本来不想下结论，但数据完全对得上。属实。", "true"),
    # a quantifier that denies every part
    ("mid", "I checked the three figures it cites. None of them is accurate.", "false"),
    ("mid", "No part of the story holds up.", "false"),
    # "no feeling either way" states no feeling; it keeps no two outcomes open
    ("uea", "A routine timetable change. She'll have no strong feelings either way, so neutral.", "emotionless"),
    ("ubp", "She could go either way on this one.", None),
    # Traditional Chinese advice and the rumour label 'legitimate'
    ("mcr", "建議推薦，這篇正是她關注的題材。", "yes"),
    ("mid-zh", "Legitimate. The ministry published the same figures.", "non-rumor"),
])
def test_round5_declines_and_scope(task, answer, label):
    assert _read(task, answer) == label


@pytest.mark.parametrize("task, answer, label", [
    # the whole scale named (split into clauses by its commas) is the question's options, not a verdict
    ("mid", "Possible ratings: true, half true, or false. Here it is true: the registry shows the same count.", "true"),
    ("mid", "Weighed on the true / half / false scale: the date is right, the amount is wrong, so that's half.", "half"),
    ("mid", "It could be rated true, half true, or false.", None),
    # a subject and a copula before a label read only on its own ("half", "fake")
    ("mid", "The first figure is right but the second is off. That's half.", "half"),
    ("mid-zh", "这条微博是 fake 的，照片是旧的。", "rumor"),
])
def test_round5_scales_and_copulas(task, answer, label):
    assert _read(task, answer) == label


@pytest.mark.parametrize("task, answer, label", [
    # a discussion that names the other label, then one short line set apart as the conclusion
    ("mid-zh", "Stories like this are often made up to scare parents.\n\nBut the school district posted the notice itself, with the date.\n\nThis one is genuine.", "non-rumor"),
    ("uea", "At first glance the headline looks alarming.\n\nReading on, it is a routine recall with refunds.\n\nNeutral.", "emotionless"),
    # ... but not a tentative line, and not for yes/no answers
    ("mid-zh", "The account has posted fakes before.\n\nThe photo matches the city's own feed.\n\nSome might call it a rumour.", None),
])
def test_round5_closing_paragraph(task, answer, label):
    assert _read(task, answer) == label


@pytest.mark.parametrize("task, answer, label", [
    # the asked act as a supposition ("推荐的话……") is no verdict; the call after it is
    ("mcr", "推送的话她多半会直接划走，不推荐。", "no"),
    ("ubp", "转发的话也只是顺手，她最近一个月没有转发过任何东西，不会。", "no"),
    # "between true and false" keeps both open, even before a grade (tests/test_verdict_declines.py)
    ("mid", "Somewhere between half and false, I can't place it.", None),
])
def test_round5_suppositions(task, answer, label):
    assert _read(task, answer) == label


@pytest.mark.parametrize("task, answer, label", [
    # a place in time is no place on the scale: the earlier verdict stands
    ("mid", "Verdict: half. The vote falls at the end of the session, which the post gets right.", "half"),
    # one grade refused is no verdict withheld; a scale called unfit is
    ("mid", "I won't give a rating of true to a claim this thin; false.", "false"),
    ("mid", "This forecast doesn't fit a true/false scale.", None),
    # a label that the post does not fit, earn or warrant is set aside (a verdict flips)
    ("mid-zh", "This doesn't fit the rumour label; the report is the ministry's own.", "non-rumor"),
    ("uea", "Nothing here deserves anger; she will stay neutral.", "emotionless"),
    ("uea", "Nothing in it would justify fear.", None),
    # commentary keys beside the verdict never decide
    ("mcr", '{"rating_scale": "yes/no", "decision": "no"}', "no"),
])
def test_round5_scope_checks(task, answer, label):
    assert _read(task, answer) == label


@pytest.mark.parametrize("task, answer, label", [
    # a classification declined in other words
    ("mid-zh", "正反两种说法都有人信。我这里暂不定性。", None),
    ("ubp", "Probably, maybe not. Hard to call.", None),
    ("ubp", "Hard to say no to a free concert, so yes, she'll repost.", "yes"),
    # what others would say or have rated is their view, not the answer's
    ("mid", "False.\n\nSome readers will say half-true since the date is right. Others have rated similar posts as true. The event itself never happened.", "false"),
    # other arrows after a verdict key; a call behind a short label
    ("ucs", "Answer ⟶ 否（用词习惯完全不同）", "no"),
    ("mcr", 'tool_call: rank(action="show", user="u2")', "yes"),
])
def test_round5_more_declines_and_arrows(task, answer, label):
    assert _read(task, answer) == label


@pytest.mark.parametrize("task, answer, label", [
    # a claim graded only in part is the middle grade, whichever part is named
    ("mid", "The opening figure is fine.\n\nThe second part is false: the law passed in 2019, not 2021.", "half"),
    ("mid", "Only half of the claim is accurate.", "half"),
    ("mid", "前半句是真的，后半句查无实据。", "half"),
    # ... while a grade stated after the parts still decides
    ("mid", "Some of the figures are right, so it's mostly true.", "true"),
])
def test_round5_graded_in_part(task, answer, label):
    assert _read(task, answer) == label


def test_round5_tool_output_keys_are_evidence():
    # what a search or a tool returned is evidence, not the answerer's verdict
    assert _read("mid", '{"search_result": "The ministry says it is false"}') is None
    assert _read("mid", '{"final_rating": "false"}') == "false"
