"""Write the bundled sample source (an Atom feed) from the seed post.

The seed (a blog page archived as text) holds eight posts: a fortnight-statistics post, six
Japanese incident notices and a conference announcement. Each becomes one Atom entry with its
title, date and text as in the seed. Run once by a maintainer:

    python scripts/build_sample_feed.py ../shared/seed/000_0f94955e41682155.txt \
        src/cyberline/sample/seed-blog.atom
"""

from __future__ import annotations

import html
import re
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

from feedgen.feed import FeedGenerator

JST = timezone(timedelta(hours=9))
BLOG = "https://example-security-blog.invalid/"
# The seed's post headers: "<title> <YYYY年M月D日>" or "[イベント] ..." / the timeline post.
DATED_TITLE = re.compile(r"^(?P<title>.+?) (?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日$")
# Posts whose header line carries no date: the seed shows them between posts of these days.
UNDATED = {
    "2022年7月1日~15日 サイバー攻撃タイムライン": datetime(2022, 8, 2, 9, 0, tzinfo=JST),
    "[イベント] HITCON PEACE 2022(2022/8/19-20)": datetime(2022, 8, 1, 12, 0, tzinfo=JST),
}


def split_posts(lines: list[str]) -> list[tuple[str, datetime, list[str]]]:
    posts: list[tuple[str, datetime, list[str]]] = []
    for line in lines:
        header = line.split(" / ")[0] if "サイバー攻撃タイムライン" in line else line
        match = DATED_TITLE.match(line)
        if header in UNDATED:
            posts.append((line, UNDATED[header], []))
        elif match and len(line) < 120:
            when = datetime(int(match["y"]), int(match["m"]), int(match["d"]), 10, 0, tzinfo=JST)
            posts.append((match["title"], when, []))
        elif posts:
            posts[-1][2].append(line)
    return posts


def main(seed: Path, out: Path) -> None:
    lines = seed.read_text(encoding="utf-8").splitlines()
    body = [line for line in lines[1:] if line.strip() and line not in ("登録:", "投稿 (Atom)")]
    fg = FeedGenerator()
    fg.id(BLOG)
    fg.title(lines[0].split(" / ")[0])
    fg.subtitle("Sample source bundled with cyberline: posts of 2022-07-29..2022-08-02 from the seed.")
    fg.link(href=BLOG, rel="alternate")
    fg.author(name="seed blog")
    fg.language("ja")
    for number, (title, when, text) in enumerate(split_posts(body), start=1):
        entry = fg.add_entry(order="append")
        entry.id(f"{BLOG}posts/{when:%Y/%m}/{number:02d}")
        entry.title(title)
        entry.link(href=f"{BLOG}posts/{when:%Y/%m}/{number:02d}.html")
        entry.published(when)
        entry.updated(when)
        entry.content("".join(f"<p>{html.escape(p)}</p>\n" for p in text), type="html")
    fg.updated(max(e.published() for e in fg.entry()))
    out.parent.mkdir(parents=True, exist_ok=True)
    fg.atom_file(str(out), pretty=True)
    print(f"wrote {len(fg.entry())} entries to {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
