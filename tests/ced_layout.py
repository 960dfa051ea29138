"""A copy of the real CED folder in ../shared, as CED publishes it, with macOS litter in every folder.

../shared/data/ced-weibo holds both halves of the corpus in its real layout: original-microblog/
(every source post), rumor-repost/ and non-rumor-repost/ (the cascades). The copy links the real
files (nothing is rewritten or relabelled) and adds the .DS_Store/._ files a Mac leaves behind, so
a test can count junk in every folder and write next to the real files without touching ../shared.
"""

from __future__ import annotations

import os
from pathlib import Path

FOLDERS = ("original-microblog", "rumor-repost", "non-rumor-repost")


def build_full_ced(real: Path, out: Path) -> Path:
    """`out` with the three real folders' JSON files linked, plus .DS_Store litter in each folder
    and in the root, and one AppleDouble file in non-rumor-repost/."""
    for sub in FOLDERS:
        (out / sub).mkdir(parents=True, exist_ok=True)
        for name in os.listdir(real / sub):
            if name.endswith(".json") and not name.startswith("._"):
                (out / sub / name).symlink_to(real / sub / name)
    for sub in ("", *FOLDERS):
        (out / sub / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1" + b"\x00" * 64)
    (out / "non-rumor-repost" / "._.DS_Store").write_bytes(b"\x00\x05\x16\x07")
    return out
