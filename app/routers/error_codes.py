"""The error codes each HTTP operation answers beyond the generic ones (app/routers/openapi.py
`generic_codes`), as `"<status> <code>"`, keyed by `"<METHOD> <path>"`.

These lists are checked two ways: every code is in the error catalogue (app/core/rules/
error_texts), and every code the app answers while the test suite runs was declared here for
the operation that answered it (tests/answered_errors.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

OPERATION_ERRORS: Final[Mapping[str, tuple[str, ...]]] = {}
