"""Messages of the webhook codes (docs/webhooks.md), and their "not found"s."""

from __future__ import annotations

from typing import Final

Texts = dict[str, str]  # language -> message

CODES: Final[dict[str, Texts]] = {
    "webhook_url_refused": {
        "en": "This URL may not receive webhooks.",
        "fr": "Cette URL ne peut pas recevoir de webhooks.",
        "it": "Questo URL non può ricevere webhook.",
        "de": "Diese URL darf keine Webhooks empfangen.",
        "es": "Esta URL no puede recibir webhooks.",
        "fi": "Tähän URL-osoitteeseen ei voi lähettää webhookeja.",
    },
    "webhook_disabled": {
        "en": "The webhook is disabled; enable it first.",
        "fr": "Le webhook est désactivé ; réactivez-le d'abord.",
        "it": "Il webhook è disattivato: lo riattivi prima.",
        "de": "Der Webhook ist deaktiviert; aktivieren Sie ihn zuerst.",
        "es": "El webhook está desactivado; actívelo primero.",
        "fi": "Webhook on poistettu käytöstä; ota se ensin käyttöön.",
    },
    "not_found.webhook": {
        "en": "Webhook not found.",
        "fr": "Webhook introuvable.",
        "it": "Webhook non trovato.",
        "de": "Der Webhook wurde nicht gefunden.",
        "es": "No se ha encontrado el webhook.",
        "fi": "Webhookia ei löytynyt.",
    },
    "not_found.webhook_delivery": {
        "en": "Webhook delivery not found.",
        "fr": "Envoi de webhook introuvable.",
        "it": "Invio del webhook non trovato.",
        "de": "Die Webhook-Zustellung wurde nicht gefunden.",
        "es": "No se ha encontrado el envío del webhook.",
        "fi": "Webhookin toimitusta ei löytynyt.",
    },
}
