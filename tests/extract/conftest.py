import json
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def seed():
    """The seed post's entries as separate documents: {key: (text, title, published)}."""
    index = json.loads((FIXTURES / "seed_index.json").read_text(encoding="utf-8"))
    return {item["id"][5:]: ((FIXTURES / f"{item['id']}.txt").read_text(encoding="utf-8"),
                             item["title"], item["published"]) for item in index}
