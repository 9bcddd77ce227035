"""The catalogue of `dashboard.messages`: each English reason the libraries give, as a
regular expression, with its Chinese template (`ZH_REASONS`), listed in one place from
its two tables (`reasons_import`, `reasons_plan`); the words the templates share are in
`dashboard.message_words`. `dashboard.messages` splits a message into location and
reason and looks the reason up here.
"""

from __future__ import annotations

from dashboard.message_words import SOURCES, Template
from dashboard.reasons_import import IMPORT_REASONS
from dashboard.reasons_plan import PLAN_REASONS

__all__ = ["SOURCES", "ZH_REASONS"]

# (English pattern of a reason, Chinese template with the pattern's groups), in the
# order they are tried: the importer's and the uploads' first, then the planning steps'.
ZH_REASONS: tuple[tuple[str, Template], ...] = IMPORT_REASONS + PLAN_REASONS
