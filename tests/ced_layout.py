"""A folder shaped like the full CED corpus, built from the real subset in ../shared.

The shared subset holds only CED's rumour half (original-microblog/ + rumor-repost/). The full
corpus also has non-rumor-repost/ (1,849 non-rumours), which is not on this machine. Relabelling
real rumours as non-rumours would make a test pass on a lie, so the non-rumour half here is
written by this module and says so:

- post texts are ordinary, verifiable statements of our own (weather, opening hours, sports
  results) - non-rumours by construction, never real CED text;
- the structure is borrowed from real rumour posts, one real post per fixture post: the post
  time and author profile fields, the cascade's dates, user ids and parent links (ids rewritten
  with an 'N' prefix so nothing collides). Only texts are replaced: reposts stay empty, comments
  get short neutral comments of our own.

So the two halves differ in text only; a check that a time or cascade-size rule stays at chance
on them tests our builder and verify, not Weibo. Tests that need real rumour-vs-non-rumour
signal cannot run here, and none pretends to.
"""

from __future__ import annotations

import os
from pathlib import Path

import orjson

_CITIES = ("北京", "上海", "广州", "深圳", "成都", "杭州", "南京", "武汉", "西安", "重庆", "天津", "苏州", "长沙", "郑州", "青岛")
_FACTS = ("今天白天晴转多云，最高气温{n}度，市气象台提醒注意防晒。",
          "市图书馆本周末开放时间调整为上午9点至晚上{n}点，读者可凭证入馆。",
          "地铁{n}号线今日起恢复正常运营，首班车时间不变。",
          "市民服务中心公布，第{n}批公共自行车站点已完成更新。",
          "本市今年第{n}届马拉松比赛将于下月举行，报名通道已开放。",
          "市博物馆新展今日开幕，展出文物共{n}件，免费预约参观。")
_COMMENTS = ("已转", "收到", "谢谢分享", "好消息", "知道了", "支持一下", "周末去看看", "有用")


def _fixture_text(k: int) -> str:
    city = _CITIES[k % len(_CITIES)]
    fact = _FACTS[(k // len(_CITIES)) % len(_FACTS)]
    return f"【{city}】" + fact.format(n=3 + k % 97) + f"（编号{k}）"


def build_full_ced(real: Path, out: Path, non_rumors: int | None = None) -> Path:
    """`out` with original-microblog/, rumor-repost/ (the real files, linked) and
    non-rumor-repost/ (fixture posts as described above), plus .DS_Store litter in each folder
    as macOS leaves it. `non_rumors` limits how many fixture posts are written (default: as many
    as real rumours)."""
    for sub in ("original-microblog", "rumor-repost", "non-rumor-repost"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    names = sorted(n for n in os.listdir(real / "original-microblog") if n.endswith(".json") and not n.startswith("._"))
    for sub in ("original-microblog", "rumor-repost"):
        for name in os.listdir(real / sub):
            if name.endswith(".json") and not name.startswith("._"):
                (out / sub / name).symlink_to(real / sub / name)
    for k, name in enumerate(names[: len(names) if non_rumors is None else non_rumors]):
        idx, mid, uid = name[:-5].split("_")
        post = orjson.loads((real / "original-microblog" / name).read_bytes())
        post["text"] = _fixture_text(k)
        new = f"9{idx}_N{mid}_{uid}.json"
        (out / "original-microblog" / new).write_bytes(orjson.dumps(post))
        cascade = orjson.loads((real / "rumor-repost" / name).read_bytes())
        rows = []
        for i, r in enumerate(cascade):
            text = _COMMENTS[i % len(_COMMENTS)] if (r.get("text") or "").strip() else ""
            rows.append({**r, "mid": "N" + r["mid"], "parent": ("N" + r["parent"]) if r.get("parent") else "",
                         "text": text})
        (out / "non-rumor-repost" / new).write_bytes(orjson.dumps(rows))
    for sub in ("", "original-microblog", "rumor-repost", "non-rumor-repost"):
        (out / sub / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1" + b"\x00" * 64)
    (out / "non-rumor-repost" / "._.DS_Store").write_bytes(b"\x00\x05\x16\x07")
    return out
