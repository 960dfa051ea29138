"""Prototype phrase sets for the embedding voters (our own wording, zh and en).

Each set is a different voter: a text is labelled with the class whose phrases it is most similar
to. Short, everyday phrasings work better with e5 than definitions; set `zh-b` uses descriptive
sentences on purpose so that it errs differently from `zh-a`.
"""

from __future__ import annotations

PHRASE_SETS: dict[str, dict[str, list[str]]] = {
    "zh-a": {
        "positive": ["太好了，支持！", "开心，点赞", "感动，加油", "哈哈哈，真棒"],
        "angry": ["气死我了", "太过分了，无耻", "愤怒！严惩！", "恶心，垃圾"],
        "sad": ["好难过", "心痛，哭了", "太惨了，可怜", "一路走好，悲伤"],
        "fear": ["好可怕", "吓死人了", "害怕，太恐怖了", "担心，不敢出门"],
        "surprise": ["震惊！", "天哪，真的假的", "没想到啊", "居然这样？"],
        "emotionless": ["转发微博", "知道了", "来看看", "关注一下"],
    },
    "zh-b": {
        "positive": ["表达喜欢、赞美和祝福的评论", "为好消息感到高兴"],
        "angry": ["表达愤怒、指责和谩骂的评论", "对这件事非常生气"],
        "sad": ["表达悲伤、同情和惋惜的评论", "为这件事感到伤心难过"],
        "fear": ["表达恐惧、担忧和不安的评论", "对这件事感到害怕"],
        "surprise": ["表达惊讶、意外和难以置信的评论", "对这件事感到吃惊"],
        "emotionless": ["不带情绪的客观陈述或转发", "没有明显情绪的普通回复"],
    },
    "en-a": {
        "positive": ["great news, so happy", "love it, well done"],
        "angry": ["this makes me furious", "disgusting, shameful"],
        "sad": ["so sad, heartbreaking", "rest in peace, I am crying"],
        "fear": ["this is terrifying", "I am scared and worried"],
        "surprise": ["wow, I can't believe it", "shocking, really?"],
        "emotionless": ["reposting for information", "ok, noted"],
    },
}
