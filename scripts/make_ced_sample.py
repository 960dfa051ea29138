#!/usr/bin/env python
"""Generate somekit/sample/ced/: a tiny CED-shaped Weibo rumour corpus (our own sentences) for the
demo's mid-zh task: 5 rumour and 5 non-rumour posts, each with a short repost cascade, in CED's
layout (original-microblog/<idx>_<mid>_<uid>.json, rumor-repost/ and non-rumor-repost/ holding
the cascades). Deterministic; the output is committed.

    python scripts/make_ced_sample.py
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "somekit" / "sample" / "ced"
RUMOURS = [
    "紧急扩散！明天起全市自来水停供三天，请大家马上囤水",
    "听说某品牌奶粉检出有毒物质，已经有孩子住院了，千万别买",
    "网传本市地铁将全线免费一个月，转发的人都能领到乘车卡",
    "有人说吃大蒜能完全预防流感，医生都不告诉你",
    "据说今晚会有七级地震，专家已经提前撤离了",
]
FACTS = [
    "市气象台发布暴雨蓝色预警，提醒市民出行注意安全",
    "图书馆本周六延长开放时间至晚上十点",
    "市政府公布新建三座公园的选址方案，征求市民意见",
    "本届马拉松报名人数创新高，组委会增设两个补给站",
    "新能源汽车充电桩在各区陆续投入使用",
]
REPLIES = ["转发", "真的假的？", "已转给家人", "求证一下", "这个靠谱吗", ""]


def main() -> None:
    rng = random.Random(20)
    shutil.rmtree(OUT, ignore_errors=True)
    base = 1_696_000_000                      # 2023-09-29 UTC: epoch seconds, as CED stores them
    # Post times shuffled across both labels: time order must not give the label away (verify's
    # shortcut audit would report it).
    slots = list(range(1, len(RUMOURS) + len(FACTS) + 1))
    rng.shuffle(slots)
    idx = 1
    for folder, texts in (("rumor-repost", RUMOURS), ("non-rumor-repost", FACTS)):
        for j, text in enumerate(texts):
            mid, uid = f"S{folder[0].upper()}{j:02d}x{idx:03d}", str(3_000_000_000 + idx)
            when = base + slots[idx - 1] * 5400
            name = f"{idx}_{mid}_{uid}.json"
            post = {"text": text, "time": when, "reposts": rng.randint(3, 400), "comments": rng.randint(0, 80),
                    "likes": rng.randint(0, 900),
                    "user": {"gender": rng.choice("mf"), "followers": rng.randint(10, 50_000),
                             "friends": rng.randint(10, 900), "messages": rng.randint(50, 9000),
                             "verified": rng.random() < 0.3, "location": rng.choice(["北京", "上海", "广东 广州"]),
                             "time": when - rng.randint(10**7, 10**8), "description": True, "verified_type": -1}}
            cascade, parent = [], ""
            for k in range(rng.randint(3, 6)):
                t = when + (k + 1) * rng.randint(60, 3600)
                rid = f"{mid}r{k}"
                cascade.append({"mid": rid, "uid": str(4_000_000_000 + idx * 10 + k), "parent": parent,
                                "text": rng.choice(REPLIES), "kids": [],
                                "date": __import__("datetime").datetime.utcfromtimestamp(t + 8 * 3600).strftime("%Y-%m-%d %H:%M:%S")})
                parent = rid if rng.random() < 0.5 else ""
            for sub, doc in (("original-microblog", post), (folder, cascade)):
                path = OUT / sub / name
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            idx += 1


if __name__ == "__main__":
    main()
