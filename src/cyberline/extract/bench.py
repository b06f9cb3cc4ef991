"""Throughput on one core (CPU time of this process, so other load on the machine does not count): 2,000-character Japanese notices built from the dev texts.

    PYTHONPATH=src python -m cyberline.extract.bench [--n 400] [--set ja_dev]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from cyberline.extract import extract_report


def docs(root: Path, n: int, size: int = 2000) -> list[str]:
    texts = [p.read_text(encoding="utf-8").partition("\n")[2].lstrip("\n")
             for p in sorted((root / "notices").glob("*.txt"))]
    out = []
    i = 0
    while len(out) < n:
        t = texts[i % len(texts)]
        while len(t) < size:  # pad short ones with the next text
            i += 1
            t += "\n" + texts[i % len(texts)]
        out.append(t[:size])
        i += 1
    return out


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=400)
    ap.add_argument("--set", default="ja_dev")
    ap.add_argument("--root", default="datasets")
    args = ap.parse_args(argv)
    batch = docs(Path(args.root) / args.set, args.n)
    extract_report(batch[0], id="warm")  # compile the tables
    t0 = time.process_time()
    for i, t in enumerate(batch):
        extract_report(t, id=str(i))
    dt = time.process_time() - t0
    print(f"{len(batch)} notices of {len(batch[0])} chars: {len(batch) / dt:.0f} notices/s "
          f"({1000 * dt / len(batch):.2f} ms each)")


if __name__ == "__main__":
    main()
