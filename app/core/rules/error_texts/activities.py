"""Messages of the activities' and badges' own codes and things not found."""

from __future__ import annotations

from typing import Final

from app.core.rules.error_texts.kernel import Texts

CODES: Final[dict[str, Texts]] = {
    "already_submitted": {
        "en": "You have sent this already.",
        "fr": "Vous l'avez déjà envoyé.",
        "it": "L'ha già inviato.",
        "de": "Sie haben dies bereits gesendet.",
        "es": "Ya lo ha enviado.",
        "fi": "Olet jo lähettänyt tämän.",
    },
    "session_not_ended": {
        "en": "Reflections open when the session has ended.",
        "fr": "Les réflexions s'ouvrent à la fin de la séance.",
        "it": "Le riflessioni si aprono al termine della sessione.",
        "de": "Reflexionen sind möglich, sobald die Sitzung beendet ist.",
        "es": "Las reflexiones se abren cuando termina la sesión.",
        "fi": "Pohdinnat avautuvat, kun tapaaminen on päättynyt.",
    },
    "not_found.activity": {
        "en": "Activity not found.",
        "fr": "Activité introuvable.",
        "it": "Attività non trovata.",
        "de": "Die Aktivität wurde nicht gefunden.",
        "es": "No se ha encontrado la actividad.",
        "fi": "Aktiviteettia ei löytynyt.",
    },
    "not_found.issuer": {
        "en": "Issuer not found.",
        "fr": "Émetteur introuvable.",
        "it": "Emittente non trovato.",
        "de": "Der Aussteller wurde nicht gefunden.",
        "es": "No se ha encontrado el emisor.",
        "fi": "Myöntäjää ei löytynyt.",
    },
}
