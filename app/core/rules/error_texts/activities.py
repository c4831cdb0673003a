"""Messages of the activities', badges' and host families' own codes and things not found."""

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
    "placement_closed": {
        "en": "This placement has already been decided.",
        "fr": "Ce placement a déjà été tranché.",
        "it": "Su questo collocamento è già stata presa una decisione.",
        "de": "Über diese Unterbringung wurde bereits entschieden.",
        "es": "Ya se ha decidido sobre este alojamiento.",
        "fi": "Tästä majoituksesta on jo päätetty.",
    },
    "placement_not_accepted": {
        "en": "The thread opens once the placement is accepted.",
        "fr": "La discussion s'ouvre une fois le placement accepté.",
        "it": "La conversazione si apre quando il collocamento è accettato.",
        "de": "Der Austausch beginnt, sobald die Unterbringung angenommen ist.",
        "es": "La conversación se abre cuando se acepta el alojamiento.",
        "fi": "Keskustelu avautuu, kun majoitus on hyväksytty.",
    },
    "run_in_progress": {
        "en": "A host-matching run of this school is already under way; wait for it to finish.",
        "fr": "Une recherche de familles d'accueil de cet établissement est déjà en cours ; "
        "attendez qu'elle se termine.",
        "it": "Una ricerca di famiglie ospitanti di questa scuola è già in corso; attenda che "
        "finisca.",
        "de": "Für diese Schule läuft bereits eine Suche nach Gastfamilien; bitte warten Sie, "
        "bis sie abgeschlossen ist.",
        "es": "Ya hay una búsqueda de familias de acogida de este centro en curso; espere a que "
        "termine.",
        "fi": "Tämän koulun isäntäperhehaku on jo käynnissä; odota, että se päättyy.",
    },
    "not_found.host_family": {
        "en": "Host family not found.",
        "fr": "Famille d'accueil introuvable.",
        "it": "Famiglia ospitante non trovata.",
        "de": "Die Gastfamilie wurde nicht gefunden.",
        "es": "No se ha encontrado la familia de acogida.",
        "fi": "Isäntäperhettä ei löytynyt.",
    },
    "not_found.host_matching_run": {
        "en": "Host-matching run not found.",
        "fr": "Recherche de familles d'accueil introuvable.",
        "it": "Ricerca di famiglie ospitanti non trovata.",
        "de": "Die Gastfamilien-Suche wurde nicht gefunden.",
        "es": "No se ha encontrado la búsqueda de familias de acogida.",
        "fi": "Isäntäperhehakua ei löytynyt.",
    },
    "not_found.placement": {
        "en": "Placement not found.",
        "fr": "Placement introuvable.",
        "it": "Collocamento non trovato.",
        "de": "Die Unterbringung wurde nicht gefunden.",
        "es": "No se ha encontrado el alojamiento.",
        "fi": "Majoitusta ei löytynyt.",
    },
}
