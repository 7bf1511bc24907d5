"""Regenerate the golden Markdown files deliberately; review the diff with git before committing.

python tests/update_golden.py
"""

from __future__ import annotations

from pathlib import Path

from anfrage.load.series import open_bundle
from anfrage.pipeline import make_draft, open_workspace
from anfrage.render import Renderer
from anfrage.select import find_region

ROOT = Path(__file__).resolve().parent.parent
CASES = [
    ("digitalisierung-2018", "bochum"),
    ("digitalisierung-2018", "kreis-hoexter"),
    ("ruhrkonferenz-2020", "bochum"),
    ("ruhrkonferenz-2020", "dortmund"),
]


def main() -> None:
    cat = open_workspace(ROOT)
    renderer = Renderer(cat)
    for series, region in CASES:
        result = make_draft(
            renderer, open_bundle(cat, ROOT / "data" / "anfragen" / f"{series}.yaml"), find_region(cat, region)
        )
        target = ROOT / "tests" / "golden" / f"{result.name}.md"
        target.write_text(result.markdown, encoding="utf-8")
        print(target.relative_to(ROOT))


if __name__ == "__main__":
    main()
