"""How often does the extractor call real general news a cyber incident? (issue 3)

Every labelled English corpus here holds incidents only. The Lee corpus is 350 real English
news paragraphs (ABC Australia, 2001-2002: wars, courts, bushfires, cricket, markets; Lee,
Pincombe & Welsh 2005), shipped as test data inside gensim's wheel. It is not copied into
this repository (its licence is gensim's test-data one, not ours): the script reads it from
the wheel or an unpacked folder.

    pip download --no-deps gensim -d /tmp/gensim          # any recent version
    PYTHONPATH=src python scripts/false_incidents.py /tmp/gensim/gensim-*.whl [--show]

Ids are "lee-bg-N" (lee_background.cor, line N) and "lee-test-N" (lee.cor); TUNE / HOLDOUT by
the project's split (docs/accuracy.md). A paragraph read as "incident_notice" or
"incident_news" is a false incident (a handful of paragraphs are about crimes or attacks, none
about computers).
"""

from __future__ import annotations

import sys
import zipfile
from collections import Counter
from pathlib import Path

FILES = {"lee_background.cor": "bg", "lee.cor": "test"}


def read_lee(where: Path) -> list[tuple[str, str]]:
    out = []
    for name, tag in FILES.items():
        if where.is_file():
            with zipfile.ZipFile(where) as wheel:
                raw = wheel.read(f"gensim/test/test_data/{name}")
        else:
            found = next(where.rglob(name), None)
            if found is None:
                sys.exit(f"{name} not found under {where}")
            raw = found.read_bytes()
        lines = raw.decode("latin-1").splitlines()  # the corpus has a few Latin-1 bytes (£)
        out += [(f"lee-{tag}-{i}", line.strip()) for i, line in enumerate(lines) if line.strip()]
    return out


def main(where: Path, show: bool) -> None:
    from cyberline.classify.data import split_of
    from cyberline.extract import extract_report

    for split in ("tune", "holdout"):
        kinds: Counter[str] = Counter()
        items = [(i, t) for i, t in read_lee(where) if split_of(i) == split]
        for item_id, text in items:
            report = extract_report(text, id=item_id).to_json()
            kinds[report["kind"]] += 1
            if show and report["kind"].startswith("incident"):
                print(f"  {item_id} {report['kind']} {report['attack_type']}: {text[:110]}")
        false = kinds["incident_notice"] + kinds["incident_news"]
        print(f"{split}: {len(items)} news paragraphs, {false} read as incidents "
              f"({false / len(items):.1%}); kinds {dict(kinds)}")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--show"]
    if len(args) != 1:
        sys.exit(__doc__)
    main(Path(args[0]), "--show" in sys.argv)
