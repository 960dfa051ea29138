#!/usr/bin/env python
"""Generate somekit's bundled sample corpus (somekit/sample/): deterministic, a few hundred records.

    python scripts/make_sample.py            # rewrites somekit/sample/{weibo,liar,jetstream}

weibo/corpus.jsonl: Weibo-like posts on three topics in three cities over three days with hourly
timestamps, users with profiles, likes/reposts/comments (comment texts span six emotions), follows,
images with Chinese/English text drawn on them and one short speech clip (espeak-ng), as our own
jsonl format. liar/test.json: LIAR-RAW-style claims with reports. jetstream/events.jsonl: a few
Bluesky Jetstream events. The outputs are committed; this script documents how they were made.
Needs Pillow, numpy/scipy, espeak-ng and fonts-wqy-zenhei.
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import subprocess
import tempfile
import wave
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parents[1] / "somekit" / "sample"
FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
CST = timezone(timedelta(hours=8))
START = datetime(2025, 6, 1, 0, 0, tzinfo=CST)

TOPICS = {
    "暴雨": ("武汉", ["武汉今晨暴雨，{place}积水严重，公交{n}路临时停运", "{place}一带雨势仍在加大，已有车辆被困",
                    "气象台发布暴雨红色预警，{place}学校停课一天", "消防救援人员在{place}转移被困群众{n}人",
                    "雨停了，{place}的积水正在慢慢退去，市政在抢修排水管道"]),
    "马拉松": ("北京", ["北京马拉松今早鸣枪开跑，{place}赛段观众很多", "第{n}公里补给站在{place}，志愿者超热情",
                     "北马男子组冠军诞生，成绩2小时{n}分", "{place}附近交通管制到中午12点，请绕行",
                     "跑完全马了！在{place}冲线的感觉太好了"]),
    "车展": ("上海", ["上海车展开幕，{place}展馆人山人海", "新款电动车在{place}发布，续航{n}公里",
                   "{place}展台的自动驾驶演示排队一小时", "车展第二天，{place}门票已售罄",
                   "有车企在{place}宣布降价{n}千元，现场一片惊呼"]),
}
PLACES = {"武汉": ["光谷", "汉口", "武昌", "江汉路"], "北京": ["天安门", "长安街", "奥森", "中关村"],
          "上海": ["国家会展中心", "虹桥", "浦东", "徐汇"]}
EMOTION_COMMENTS = {
    "positive": ["太棒了，为大家点赞！", "好消息，开心[哈哈]", "志愿者辛苦了，感谢！"],
    "angry": ["排水系统年年修年年淹，气死了", "管理太混乱了，愤怒！", "凭什么不提前通知？"],
    "sad": ["看着好心疼[泪]", "希望大家都平安，难过", "错过了，伤心"],
    "fear": ["好可怕，不敢出门了", "雨这么大，担心家里人", "太吓人了"],
    "surprise": ["真的假的？没想到！", "哇，这么快就结束了", "居然降价这么多！"],
    "none": ["转发", "收到", "在几号馆？"],
}
NAMES = ["江城小李", "跑者阿明", "车迷老王", "光谷打工人", "北京晨跑团", "浦东看车", "汉口阿姨", "天气观察员",
         "小雨点", "长安街跑者", "新能源控", "武昌学生", "马拉松菜鸟", "车展记者", "本地新闻速递", "夜跑少年",
         "江汉路探店", "奥森常客", "虹桥上班族", "徐汇小陈", "热心市民张先生", "摄影师阿杰", "交通广播", "应急管理",
         "汽车评测君", "运动博主", "气象爱好者", "志愿者小刘", "路人甲", "吃瓜群众"]
IMAGES = [("rain_alert.png", "暴雨红色预警", "Rainstorm Red Alert", "暴雨"),
          ("bus_notice.png", "公交临时停运", "Bus Service Suspended", "暴雨"),
          ("marathon.png", "北京马拉松 2025", "Beijing Marathon", "马拉松"),
          ("ev_launch.png", "新车发布 续航700公里", "New EV Launch", "车展")]
SPEECH = "Heavy rain warning for Wuhan tonight. Please stay indoors."


def _iso(dt: datetime) -> str:
    return dt.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def draw_image(path: Path, zh: str, en: str) -> None:
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("RGB", (360, 160), (250, 250, 245))
    d = ImageDraw.Draw(img)
    d.rectangle([4, 4, 355, 155], outline=(200, 30, 30), width=4)
    d.text((20, 28), zh, fill=(20, 20, 20), font=ImageFont.truetype(FONT, 34))
    d.text((20, 96), en, fill=(30, 30, 120), font=ImageFont.truetype(FONT, 26))
    img.save(path, optimize=True)


def speak(path: Path, text: str) -> None:
    """espeak-ng speech resampled to 16 kHz mono 16-bit (what speech models expect)."""
    from scipy.signal import resample_poly

    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw.wav"
        subprocess.run(["espeak-ng", "-v", "en", "-s", "150", "-w", str(raw), text], check=True)
        with wave.open(str(raw)) as w:
            rate, data = w.getframerate(), np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16)
    pcm = np.clip(resample_poly(data.astype(np.float32), 16000, rate), -32768, 32767).astype(np.int16)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(pcm.tobytes())


def _attach(recs: list[dict], post_id: str, media_id: str) -> None:
    for r in recs:
        if r["type"] == "post" and r["id"] == post_id:
            r.setdefault("media_ids", []).append(media_id)


def weibo(rng: random.Random) -> list[dict]:
    out = OUT / "weibo"
    media_dir = out / "media"
    media_dir.mkdir(parents=True, exist_ok=True)
    recs: list[dict] = []
    users = []
    for i, name in enumerate(NAMES):
        uid = str(5_000_000_000 + i * 7919)
        city = list(PLACES)[i % 3]
        users.append((uid, city))
        recs.append({"type": "user", "id": uid, "name": name, "location": city, "gender": "mf"[i % 2],
                     "description": f"{city}，关注{list(TOPICS)[i % 3]}", "followers_count": rng.randint(10, 50000),
                     "friends_count": rng.randint(5, 800), "statuses_count": rng.randint(20, 9000),
                     "verified": i % 7 == 0, "created_at": _iso(START - timedelta(days=300 + i * 11))})
    posts = []
    n_post = 0
    for day, (topic, (city, templates)) in [(d, t) for d in range(3) for t in TOPICS.items()]:
        for k in range(9):
            hour = rng.choice([7, 8, 9, 10, 12, 14, 15, 18, 20, 21])
            when = START + timedelta(days=day, hours=hour, minutes=rng.randint(0, 59))
            author = rng.choice([u for u in users if u[1] == city] or users)[0]
            text = rng.choice(templates).format(place=rng.choice(PLACES[city]), n=rng.randint(2, 60))
            pid = str(5_170_000_000_000_000 + n_post * 1_000_003)
            n_post += 1
            posts.append((pid, author, when, topic))
            recs.append({"type": "post", "id": pid, "author_id": author, "text": f"#{topic}# {text}",
                         "created_at": _iso(when), "lang": "zh", "location": city, "topics": [topic],
                         "reposts_count": rng.randint(0, 300), "comments_count": rng.randint(0, 200),
                         "likes_count": rng.randint(0, 2000)})
    # Media: one image per listed file on the first post of its topic, one speech clip.
    for j, (fname, zh, en, topic) in enumerate(IMAGES):
        draw_image(media_dir / fname, zh, en)
        post = [p for p in posts if p[3] == topic][j % 2]
        _attach(recs, post[0], _sha(media_dir / fname))
        recs.append({"type": "media", "id": _sha(media_dir / fname), "post_id": post[0], "kind": "image",
                     "uri": f"media/{fname}", "sha256": _sha(media_dir / fname), "mime": "image/png"})
    speak(media_dir / "rain_warning.wav", SPEECH)
    rain = [p for p in posts if p[3] == "暴雨"][2]
    _attach(recs, rain[0], _sha(media_dir / "rain_warning.wav"))
    recs.append({"type": "media", "id": _sha(media_dir / "rain_warning.wav"), "post_id": rain[0], "kind": "audio",
                 "uri": "media/rain_warning.wav", "sha256": _sha(media_dir / "rain_warning.wav"), "mime": "audio/wav"})
    # Interactions: every user acts on posts of their city's topic and sometimes elsewhere.
    n_int = 0
    emotions = list(EMOTION_COMMENTS)
    for uid, city in users:
        for pid, author, when, topic in rng.sample(posts, 9):
            if author == uid:
                continue
            kind = rng.choices(["like", "repost", "comment"], weights=[4, 2, 3])[0]
            text = rng.choice(EMOTION_COMMENTS[rng.choice(emotions)]) if kind == "comment" else ""
            at = when + timedelta(minutes=rng.randint(3, 600))
            recs.append({"type": "interaction", "id": f"s{n_int:05d}", "kind": kind, "user_id": uid, "post_id": pid,
                         "text": text, "created_at": _iso(at)})
            n_int += 1
    for a, b in [(0, 3), (1, 4), (2, 5), (6, 0), (7, 1)]:
        recs.append({"type": "interaction", "id": f"f{a}-{b}", "kind": "follow", "user_id": users[a][0],
                     "target_user_id": users[b][0], "created_at": _iso(START)})
    with open(out / "corpus.jsonl", "w", encoding="utf-8") as fh:
        for r in recs:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    return recs


def liar() -> None:
    claims = [
        ("101", "Says the city built more bike lanes last year than in the previous decade combined.", "half-true"),
        ("102", "Drinking hot water cures the flu within a day.", "pants-fire"),
        ("103", "The state's unemployment rate fell below 4 percent in March.", "true"),
        ("104", "A new law bans all gasoline cars starting next year.", "false"),
    ]
    items = []
    for event, claim, label in claims:
        reports = []
        for r in range(2):
            sents = [f"Officials were asked about the statement: {claim}",
                     f"Records reviewed by reporters {'support' if label == 'true' else 'do not fully support'} it.",
                     "The original post was shared widely."]
            reports.append({"report_id": f"{event}{r}", "link": f"https://news.example.org/{event}/{r}",
                            "domain": "news.example.org", "content": " ".join(sents),
                            "tokenized": [{"sent": s, "is_evidence": int(i == 1)} for i, s in enumerate(sents)]})
        items.append({"event_id": event, "claim": claim, "label": label, "original_label": label,
                      "explain": f"Fact-checkers rated this {label}.", "reports": reports})
    (OUT / "liar").mkdir(parents=True, exist_ok=True)
    (OUT / "liar" / "test.json").write_text(json.dumps(items, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def jetstream() -> None:
    dids = [f"did:plc:sample{i:02d}" for i in range(6)]
    t0 = 1_748_736_000_000_000
    ev: list[dict] = []

    def commit(i: int, did: str, op: str, coll: str, rkey: str, record: dict | None = None) -> None:
        c = {"rev": f"r{i}", "operation": op, "collection": coll, "rkey": rkey}
        if record is not None:
            c.update(record=record, cid=f"bafy{i:04d}")
        ev.append({"did": did, "time_us": t0 + i * 1_000_000, "kind": "commit", "commit": c})

    post = lambda d, k: f"at://{d}/app.bsky.feed.post/{k}"  # noqa: E731
    for i, d in enumerate(dids):
        commit(len(ev), d, "create", "app.bsky.actor.profile", "self",
               {"$type": "app.bsky.actor.profile", "displayName": f"Sample {i}", "description": "sample account"})
        commit(len(ev), d, "create", "app.bsky.feed.post", f"p{i}",
               {"$type": "app.bsky.feed.post", "text": f"Post number {i} about the city marathon", "langs": ["en"],
                "createdAt": "2025-06-01T00:00:00Z"})
    commit(len(ev), dids[1], "create", "app.bsky.feed.post", "r1",
           {"text": "Great run today!", "langs": ["en"], "createdAt": "2025-06-01T00:10:00Z",
            "reply": {"root": {"uri": post(dids[0], "p0"), "cid": "x"}, "parent": {"uri": post(dids[0], "p0"), "cid": "x"}}})
    commit(len(ev), dids[2], "create", "app.bsky.feed.post", "q1",
           {"text": "Worth reading", "createdAt": "2025-06-01T00:11:00Z",
            "embed": {"$type": "app.bsky.embed.record", "record": {"uri": post(dids[3], "p3"), "cid": "y"}}})
    for i, d in enumerate(dids):
        commit(len(ev), d, "create", "app.bsky.feed.like", f"l{i}",
               {"subject": {"uri": post(dids[(i + 1) % 6], f"p{(i + 1) % 6}"), "cid": "z"}, "createdAt": "2025-06-01T00:20:00Z"})
        commit(len(ev), d, "create", "app.bsky.feed.repost", f"rp{i}",
               {"subject": {"uri": post(dids[(i + 2) % 6], f"p{(i + 2) % 6}"), "cid": "z"}, "createdAt": "2025-06-01T00:21:00Z"})
        commit(len(ev), d, "create", "app.bsky.graph.follow", f"f{i}", {"subject": dids[(i + 3) % 6], "createdAt": "2025-06-01T00:22:00Z"})
    commit(len(ev), dids[0], "create", "app.bsky.feed.like", "lx", {"subject": {"uri": "at://did:plc:outside/app.bsky.feed.post/old", "cid": "o"}})
    commit(len(ev), dids[4], "create", "app.bsky.graph.block", "b1", {"subject": dids[5], "createdAt": "2025-06-01T00:30:00Z"})
    commit(len(ev), dids[0], "delete", "app.bsky.feed.like", "l0")
    commit(len(ev), dids[1], "delete", "app.bsky.graph.follow", "f1")
    commit(len(ev), dids[5], "delete", "app.bsky.feed.post", "p5")
    commit(len(ev), dids[2], "update", "app.bsky.actor.profile", "self", {"displayName": "Sample 2 (renamed)"})
    (OUT / "jetstream").mkdir(parents=True, exist_ok=True)
    with open(OUT / "jetstream" / "events.jsonl", "w", encoding="utf-8") as fh:
        for e in ev:
            fh.write(json.dumps(e) + "\n")


def main() -> None:
    for sub in ("weibo", "liar", "jetstream"):
        shutil.rmtree(OUT / sub, ignore_errors=True)
    recs = weibo(random.Random(20250601))
    liar()
    jetstream()
    size = sum(f.stat().st_size for f in OUT.rglob("*") if f.is_file())
    print(f"{len(recs)} weibo records; sample total {size / 1024:.0f} KiB in {OUT}")


if __name__ == "__main__":
    main()
