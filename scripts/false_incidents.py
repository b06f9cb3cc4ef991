"""How often does the extractor call real text that is not about an incident one? (issue 3)

Every labelled English corpus here holds incidents only. gensim's wheel carries two real
English corpora as test data, read here from the wheel (not copied into this repository: their
licences are not ours):
- the Lee corpus, 350 news paragraphs (ABC Australia, 2001-2002: wars, courts, bushfires,
  cricket, markets; Lee, Pincombe & Welsh 2005), ids "lee-bg-N" / "lee-test-N";
- `mini_newsgroup`, 200 Usenet posts of the 20 Newsgroups set (sci.space, alt.atheism), a
  pickled scikit-learn Bunch read with an allow-list unpickler, headers dropped, ids "ng-N".

    pip download --no-deps gensim -d /tmp/gensim          # any recent version
    PYTHONPATH=src python scripts/false_incidents.py /tmp/gensim/gensim-*.whl [--show]

TUNE / HOLDOUT by the project's split (docs/accuracy.md). A text read as "incident_notice" or
"incident_news" is a false incident (a handful of news paragraphs are about crimes or attacks,
none about computers).
"""

from __future__ import annotations

import io
import pickle
import sys
import zipfile
import zlib
from collections import Counter
from pathlib import Path

FILES = {"lee_background.cor": "bg", "lee.cor": "test"}


def _test_data(where: Path, name: str) -> bytes:
    if where.is_file():
        with zipfile.ZipFile(where) as wheel:
            return wheel.read(f"gensim/test/test_data/{name}")
    found = next(where.rglob(name), None)
    if found is None:
        sys.exit(f"{name} not found under {where}")
    return found.read_bytes()


def read_lee(where: Path) -> list[tuple[str, str]]:
    out = []
    for name, tag in FILES.items():
        lines = _test_data(where, name).decode("latin-1").splitlines()  # a few Latin-1 bytes (£)
        out += [(f"lee-{tag}-{i}", line.strip()) for i, line in enumerate(lines) if line.strip()]
    return out


class _Bunch(dict):
    def __setstate__(self, state):
        self.update(state)


class _AllowListUnpickler(pickle.Unpickler):
    """Only what a pickled Bunch of strings and a numpy array needs; anything else is refused."""

    ALLOWED = {("copy_reg", "_reconstructor"), ("__builtin__", "object"), ("__builtin__", "dict"),
               ("numpy.core.multiarray", "_reconstruct"), ("numpy", "ndarray"), ("numpy", "dtype")}

    def find_class(self, module, name):
        if (module, name) == ("sklearn.datasets.base", "Bunch"):
            return _Bunch
        if (module, name) in self.ALLOWED:
            if module == "numpy.core.multiarray":
                import numpy.core.multiarray as multiarray  # the pickle's own path

                return getattr(multiarray, name)
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"refused: {module}.{name}")


def read_newsgroups(where: Path) -> list[tuple[str, str]]:
    raw = zlib.decompress(_test_data(where, "mini_newsgroup"))
    bunch = _AllowListUnpickler(io.BytesIO(raw), encoding="latin-1").load()
    return [(f"ng-{i}", post.split("\n\n", 1)[-1]) for i, post in enumerate(bunch["data"])]


def main(where: Path, show: bool) -> None:
    from cyberline.classify.data import split_of
    from cyberline.extract import extract_report

    for corpus, reader in (("Lee news paragraphs", read_lee), ("Usenet posts", read_newsgroups)):
        texts = reader(where)
        for split in ("tune", "holdout"):
            kinds: Counter[str] = Counter()
            items = [(i, t) for i, t in texts if split_of(i) == split]
            for item_id, text in items:
                report = extract_report(text, id=item_id).to_json()
                kinds[report["kind"]] += 1
                if show and report["kind"].startswith("incident"):
                    print(f"  {item_id} {report['kind']} {report['attack_type']}: {text[:110]!r}")
            false = kinds["incident_notice"] + kinds["incident_news"]
            print(f"{corpus}, {split}: {len(items)}, {false} read as incidents "
                  f"({false / len(items):.1%}); kinds {dict(kinds)}")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--show"]
    if len(args) != 1:
        sys.exit(__doc__)
    main(Path(args[0]), "--show" in sys.argv)
