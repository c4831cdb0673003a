# ruff: noqa: E501 (one message per line reads better than split strings)
"""The notification a school's coordinators get when its webhook is disabled after failing,
in six languages (English when there is no translation). Pure."""

from __future__ import annotations

from typing import Final

DISABLED: Final[dict[str, tuple[str, str]]] = {
    "en": (
        "A webhook was disabled",
        "The webhook to {url} failed {failures} times in a row and was disabled. Check the partner system, then enable it again; what was not delivered can be replayed.",
    ),
    "fr": (
        "Un webhook a été désactivé",
        "Le webhook vers {url} a échoué {failures} fois de suite et a été désactivé. Vérifiez le système partenaire, puis réactivez-le ; ce qui n'a pas été livré peut être renvoyé.",
    ),
    "it": (
        "Un webhook è stato disattivato",
        "Il webhook verso {url} non è riuscito {failures} volte di seguito ed è stato disattivato. Controlli il sistema partner e lo riattivi; ciò che non è stato consegnato può essere reinviato.",
    ),
    "de": (
        "Ein Webhook wurde deaktiviert",
        "Der Webhook an {url} ist {failures}-mal hintereinander fehlgeschlagen und wurde deaktiviert. Prüfen Sie das Partnersystem und aktivieren Sie ihn wieder; nicht Zugestelltes lässt sich erneut senden.",
    ),
    "es": (
        "Se ha desactivado un webhook",
        "El webhook a {url} ha fallado {failures} veces seguidas y se ha desactivado. Revise el sistema asociado y vuelva a activarlo; lo que no se entregó puede reenviarse.",
    ),
    "fi": (
        "Webhook poistettiin käytöstä",
        "Webhook osoitteeseen {url} epäonnistui {failures} kertaa peräkkäin ja poistettiin käytöstä. Tarkista kumppanijärjestelmä ja ota se uudelleen käyttöön; toimittamatta jääneet voi lähettää uudelleen.",
    ),
}


def disabled_message(language: str, *, url: str, failures: int) -> tuple[str, str, str]:
    """(language, subject, body) of the notice, in `language` or English."""
    chosen = language if language in DISABLED else "en"
    subject, body = DISABLED[chosen]
    return chosen, subject, body.format(url=url, failures=failures)
