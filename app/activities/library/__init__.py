"""The built-in activity library: templates for internationalisation at home, as pure data,
every text in the six languages of the platform (`rules.texts.LANGUAGES`).

Built-in templates are not rows: they live here, with stable ids (`uuid5` of their key), and
`owner_organisation_id` null. Organisations clone them into rows of their own.
"""

from __future__ import annotations

import uuid

from app.activities.library.closing import CLOSING
from app.activities.library.exchange import EXCHANGE
from app.activities.library.tasks import TASKS
from app.activities.library.warmups import WARMUPS
from app.activities.rules.texts import Template

NAMESPACE = uuid.UUID("5b0e8a52-61a4-4c39-9a57-2f3d0c6b9e11")


def builtin_id(key: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, key)


BUILTINS: tuple[Template, ...] = (*WARMUPS, *EXCHANGE, *TASKS, *CLOSING)
BY_ID: dict[uuid.UUID, Template] = {builtin_id(t.key): t for t in BUILTINS}
