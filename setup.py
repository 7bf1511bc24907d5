"""Build hook: the example workspace (``data/`` and ``templates/``) goes into the package.

All metadata lives in ``pyproject.toml``; this file only adds one step to ``build_py``. The example
catalogues and templates stay at the repository root, where the README's commands and the tests use
them, and exist once in git. Building a wheel (from the checkout or from the sdist, which carries
both folders, see ``MANIFEST.in``) copies them to ``anfrage/example/`` in the build, so that
``anfrage init`` finds them in an installed package. An editable install copies nothing:
``anfrage init`` then reads the checkout's folders.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

EXAMPLE_FOLDERS = ("data", "templates")


class BuildPyWithExample(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        target = Path(self.build_lib) / "anfrage" / "example"
        shutil.rmtree(target, ignore_errors=True)  # no stale files from an earlier build
        for name in EXAMPLE_FOLDERS:  # relative to the project root, where setuptools runs
            shutil.copytree(name, target / name, ignore=shutil.ignore_patterns(".*", "__pycache__", "*.py[co]"))


setup(cmdclass={"build_py": BuildPyWithExample})
