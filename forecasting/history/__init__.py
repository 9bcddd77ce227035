"""Contact history: a planner's export in, the interval-history frame out.

Callers outside this package import from `forecasting.history` itself. The
modules, each importing only those listed after it:

- `importer`: `ingest`, the import summary and result;
- `mapping`: guessing a profile from an export's headers and values (English and
  Chinese synonyms), `MappingError` listing the candidates when two readings fit;
- `intervals`: aggregating an interval file (one row per queue and interval);
- `contacts`: aggregating a contact log (one row per contact);
- `parse`: parsing export columns (times, durations, counts) with located errors;
- `profiles`: import profiles (the shipped YAML files live in `forecasting/profiles/`);
- `read`: reading CSV/TSV, .csv.gz, Excel and Parquet, refusing what is not history;
- `tally`: per-queue, per-interval sums and the frame built from them;
- `frame`: reading and checking a frame already in the tool's own format;
- `errors`: `HistoryError` and keeping customer identifiers out of messages.
"""

from __future__ import annotations

from forecasting.history.errors import HistoryError
from forecasting.history.frame import (
    check_history,
    interval_minutes,
    load_history,
    resample_history,
)
from forecasting.history.importer import ImportResult, ImportSummary, ingest
from forecasting.history.mapping import (
    Guess,
    MappingError,
    build_profile,
    guess_mapping,
    guess_profile,
    profile_dict,
)
from forecasting.history.profiles import Profile, load_profile, profile_from_dict, shipped_profiles
from forecasting.history.read import (
    BINARY_MAGIC,
    GZIP_MAGIC,
    PARQUET_MAGIC,
    XLS_MAGIC,
    XLSX_MAGIC,
    check_workbook_archive,
)

__all__ = [
    "BINARY_MAGIC",
    "GZIP_MAGIC",
    "PARQUET_MAGIC",
    "XLSX_MAGIC",
    "XLS_MAGIC",
    "Guess",
    "HistoryError",
    "ImportResult",
    "ImportSummary",
    "MappingError",
    "Profile",
    "check_history",
    "build_profile",
    "check_workbook_archive",
    "guess_mapping",
    "guess_profile",
    "ingest",
    "interval_minutes",
    "load_history",
    "load_profile",
    "profile_dict",
    "profile_from_dict",
    "resample_history",
    "shipped_profiles",
]
