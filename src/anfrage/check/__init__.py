"""``anfrage check``: every problem of workspace, series and drafts in one run (see ``workspace``)."""

from anfrage.check.common import CheckResult, DraftReport, SeriesReport
from anfrage.check.series import add_months
from anfrage.check.workspace import check_workspace

__all__ = ["CheckResult", "DraftReport", "SeriesReport", "add_months", "check_workspace"]
