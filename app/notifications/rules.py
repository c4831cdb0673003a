"""Notification texts: which language a recipient reads, and each event's message in it.

Pure: the caller gives the recipient's country and the event's facts (times already in the
recipient's zone). A language without a translation falls back to English.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import Final, Literal

Event = Literal[
    "session.scheduled",
    "session.rescheduled",
    "session.cancelled",
    "exchange.proposed",
    "exchange.accepted",
    "exchange.message",
    "consent.requested",
    "learner.absent",
    "consent.learner_decides",
    "consent.guardian_required",
]
EVENTS: Final[tuple[Event, ...]] = (
    "session.scheduled",
    "session.rescheduled",
    "session.cancelled",
    "exchange.proposed",
    "exchange.accepted",
    "exchange.message",
    "consent.requested",
    "learner.absent",
    "consent.learner_decides",
    "consent.guardian_required",
)
LANGUAGES: Final = ("en", "fr", "it", "de", "es", "fi")
DEFAULT_LANGUAGE: Final = "en"

# The language people of a country read, where a translation exists.
COUNTRY_LANGUAGE: Final = MappingProxyType(
    {
        "FR": "fr",
        "BE": "fr",
        "LU": "fr",
        "MC": "fr",
        "IT": "it",
        "SM": "it",
        "VA": "it",
        "DE": "de",
        "AT": "de",
        "LI": "de",
        "CH": "de",
        "ES": "es",
        "AD": "es",
        "FI": "fi",
    }
)


def language_for(country: str | None) -> str:
    if country is None:
        return DEFAULT_LANGUAGE
    return COUNTRY_LANGUAGE.get(country.upper(), DEFAULT_LANGUAGE)


@dataclass(frozen=True)
class Facts:
    """What a message says. `starts_at` is already in the recipient's zone, named `zone`."""

    title: str = ""
    starts_at: datetime | None = None
    zone: str = ""
    count: int = 1
    reason: str = ""
    partners: str = ""
    learner: str = ""  # a learner's display name
    purpose: str = ""  # a consent purpose, e.g. live_sessions
    author: str = ""  # who wrote a message, with their school


@dataclass(frozen=True)
class Message:
    language: str
    subject: str
    body: str


_T = dict[str, tuple[str, str]]  # language -> (subject, body)

TEMPLATES: Final[dict[Event, _T]] = {
    "session.scheduled": {
        "en": (
            "New session: {title}",
            'A virtual exchange session "{title}" is scheduled for {when}{series}.',
        ),
        "fr": (
            "Nouvelle séance : {title}",
            "Une séance d'échange virtuel « {title} » est prévue le {when}{series}.",
        ),
        "it": (
            "Nuova sessione: {title}",
            'Una sessione di scambio virtuale "{title}" è prevista il {when}{series}.',
        ),
        "de": (
            "Neue Sitzung: {title}",
            "Eine Sitzung des virtuellen Austauschs „{title}“ ist für {when} geplant{series}.",
        ),
        "es": (
            "Nueva sesión: {title}",
            "Se ha programado una sesión de intercambio virtual «{title}» para el {when}{series}.",
        ),
        "fi": (
            "Uusi tapaaminen: {title}",
            'Virtuaalivaihdon tapaaminen "{title}" on sovittu ajalle {when}{series}.',
        ),
    },
    "session.rescheduled": {
        "en": ("Session moved: {title}", 'The session "{title}" now takes place on {when}.'),
        "fr": ("Séance déplacée : {title}", "La séance « {title} » a maintenant lieu le {when}."),
        "it": ("Sessione spostata: {title}", 'La sessione "{title}" si terrà ora il {when}.'),
        "de": (
            "Sitzung verschoben: {title}",
            "Die Sitzung „{title}“ findet jetzt am {when} statt.",
        ),
        "es": ("Sesión cambiada: {title}", "La sesión «{title}» tendrá lugar ahora el {when}."),
        "fi": ("Tapaaminen siirretty: {title}", 'Tapaaminen "{title}" pidetään nyt {when}.'),
    },
    "session.cancelled": {
        "en": (
            "Session cancelled: {title}",
            'The session "{title}" on {when} is cancelled. Reason: {reason}',
        ),
        "fr": (
            "Séance annulée : {title}",
            "La séance « {title} » du {when} est annulée. Motif : {reason}",
        ),
        "it": (
            "Sessione annullata: {title}",
            'La sessione "{title}" del {when} è annullata. Motivo: {reason}',
        ),
        "de": (
            "Sitzung abgesagt: {title}",
            "Die Sitzung „{title}“ am {when} ist abgesagt. Grund: {reason}",
        ),
        "es": (
            "Sesión cancelada: {title}",
            "La sesión «{title}» del {when} se ha cancelado. Motivo: {reason}",
        ),
        "fi": (
            "Tapaaminen peruttu: {title}",
            'Tapaaminen "{title}" ({when}) on peruttu. Syy: {reason}',
        ),
    },
    "exchange.proposed": {
        "en": (
            "New partner classes proposed",
            "Your class was matched with {partners}. Please accept or decline the exchange.",
        ),
        "fr": (
            "Nouvelles classes partenaires proposées",
            "Votre classe a été associée à {partners}. Merci d'accepter ou de refuser l'échange.",
        ),
        "it": (
            "Nuove classi partner proposte",
            "La vostra classe è stata abbinata a {partners}. Accettate o rifiutate lo scambio.",
        ),
        "de": (
            "Neue Partnerklassen vorgeschlagen",
            "Ihre Klasse wurde mit {partners} zusammengebracht. Bitte nehmen Sie den "
            "Austausch an oder lehnen Sie ihn ab.",
        ),
        "es": (
            "Nuevas clases asociadas propuestas",
            "Su clase ha sido emparejada con {partners}. Acepte o rechace el intercambio.",
        ),
        "fi": (
            "Uusia kumppaniluokkia ehdotettu",
            "Luokkasi yhdistettiin: {partners}. Hyväksy tai hylkää vaihto.",
        ),
    },
    "exchange.accepted": {
        "en": (
            "Exchange confirmed",
            "Every class accepted the exchange with {partners}. You can now schedule sessions.",
        ),
        "fr": (
            "Échange confirmé",
            "Toutes les classes ont accepté l'échange avec {partners}. Vous pouvez planifier "
            "les séances.",
        ),
        "it": (
            "Scambio confermato",
            "Tutte le classi hanno accettato lo scambio con {partners}. Ora potete "
            "programmare le sessioni.",
        ),
        "de": (
            "Austausch bestätigt",
            "Alle Klassen haben den Austausch mit {partners} angenommen. Sie können jetzt "
            "Sitzungen planen.",
        ),
        "es": (
            "Intercambio confirmado",
            "Todas las clases aceptaron el intercambio con {partners}. Ya puede programar "
            "las sesiones.",
        ),
        "fi": (
            "Vaihto vahvistettu",
            "Kaikki luokat hyväksyivät vaihdon: {partners}. Voit nyt sopia tapaamiset.",
        ),
    },
}

TEMPLATES["exchange.message"] = {
    "en": (
        "New message from {author}",
        "{author} wrote in the thread of your exchange with {partners}.",
    ),
    "fr": (
        "Nouveau message de {author}",
        "{author} a écrit dans le fil de votre échange avec {partners}.",
    ),
    "it": (
        "Nuovo messaggio da {author}",
        "{author} ha scritto nella discussione del vostro scambio con {partners}.",
    ),
    "de": (
        "Neue Nachricht von {author}",
        "{author} hat im Nachrichtenverlauf Ihres Austauschs mit {partners} geschrieben.",
    ),
    "es": (
        "Nuevo mensaje de {author}",
        "{author} ha escrito en el hilo de su intercambio con {partners}.",
    ),
    "fi": (
        "Uusi viesti: {author}",
        "{author} kirjoitti vaihtonne keskusteluun ({partners}).",
    ),
}
TEMPLATES["consent.requested"] = {
    "en": (
        "Consent requested for {learner}",
        "The school asks for your consent for {learner}: {purpose}. "
        "You can give or refuse it in the family view.",
    ),
    "fr": (
        "Consentement demandé pour {learner}",
        "L'établissement demande votre consentement pour {learner} : {purpose}. "
        "Vous pouvez le donner ou le refuser dans l'espace famille.",
    ),
    "it": (
        "Consenso richiesto per {learner}",
        "La scuola chiede il tuo consenso per {learner}: {purpose}. "
        "Puoi darlo o rifiutarlo nell'area famiglia.",
    ),
    "de": (
        "Einwilligung für {learner} erbeten",
        "Die Schule bittet um Ihre Einwilligung für {learner}: {purpose}. "
        "Sie können sie in der Familienansicht erteilen oder verweigern.",
    ),
    "es": (
        "Consentimiento solicitado para {learner}",
        "El centro solicita su consentimiento para {learner}: {purpose}. "
        "Puede darlo o negarlo en el espacio familiar.",
    ),
    "fi": (
        "Suostumusta pyydetään: {learner}",
        "Oppilaitos pyytää suostumustasi ({learner}): {purpose}. "
        "Voit antaa tai evätä sen perhenäkymässä.",
    ),
}
TEMPLATES["consent.learner_decides"] = {
    "en": (
        "{learner} now decides on consents",
        "With the birth date now on record, {learner} has reached the digital-consent age and "
        "gives or withdraws consents alone; a guardian can no longer act for them.",
    ),
    "fr": (
        "{learner} décide désormais des consentements",
        "Avec la date de naissance enregistrée, {learner} a atteint l'âge du consentement "
        "numérique et donne ou retire seul ses consentements ; un parent ne peut plus agir "
        "à sa place.",
    ),
    "it": (
        "{learner} ora decide sui consensi",
        "Con la data di nascita registrata, {learner} ha raggiunto l'età del consenso digitale "
        "e dà o revoca da solo i consensi; un genitore non può più agire al suo posto.",
    ),
    "de": (
        "{learner} entscheidet jetzt selbst über Einwilligungen",
        "Mit dem eingetragenen Geburtsdatum hat {learner} das Alter der digitalen Einwilligung "
        "erreicht und erteilt oder widerruft Einwilligungen allein; Erziehungsberechtigte "
        "können nicht mehr für sie oder ihn handeln.",
    ),
    "es": (
        "{learner} decide ahora sobre los consentimientos",
        "Con la fecha de nacimiento registrada, {learner} ha alcanzado la edad del "
        "consentimiento digital y da o retira solo sus consentimientos; un tutor ya no puede "
        "actuar en su nombre.",
    ),
    "fi": (
        "{learner} päättää nyt itse suostumuksista",
        "Kirjatun syntymäajan mukaan {learner} on saavuttanut digitaalisen suostumuksen iän ja "
        "antaa tai peruu suostumukset itse; huoltaja ei voi enää toimia hänen puolestaan.",
    ),
}
TEMPLATES["consent.guardian_required"] = {
    "en": (
        "Your consent is needed for {learner}",
        "With the birth date now on record, {learner} is below the digital-consent age: "
        "consent-based features need your consent. You can give it in the family view.",
    ),
    "fr": (
        "Votre consentement est nécessaire pour {learner}",
        "Avec la date de naissance enregistrée, {learner} n'a pas l'âge du consentement "
        "numérique : les fonctions soumises à consentement demandent le vôtre. Vous pouvez le "
        "donner dans l'espace famille.",
    ),
    "it": (
        "Serve il tuo consenso per {learner}",
        "Con la data di nascita registrata, {learner} non ha l'età del consenso digitale: le "
        "funzioni basate sul consenso richiedono il tuo. Puoi darlo nell'area famiglia.",
    ),
    "de": (
        "Ihre Einwilligung für {learner} ist nötig",
        "Mit dem eingetragenen Geburtsdatum ist {learner} unter dem Alter der digitalen "
        "Einwilligung: einwilligungspflichtige Funktionen brauchen Ihre Einwilligung. Sie "
        "können sie in der Familienansicht erteilen.",
    ),
    "es": (
        "Se necesita su consentimiento para {learner}",
        "Con la fecha de nacimiento registrada, {learner} no tiene la edad del consentimiento "
        "digital: las funciones basadas en el consentimiento necesitan el suyo. Puede darlo en "
        "el espacio familiar.",
    ),
    "fi": (
        "Suostumustasi tarvitaan: {learner}",
        "Kirjatun syntymäajan mukaan {learner} on alle digitaalisen suostumuksen iän: "
        "suostumukseen perustuvat toiminnot tarvitsevat suostumuksesi. Voit antaa sen "
        "perhenäkymässä.",
    ),
}
TEMPLATES["learner.absent"] = {
    "en": (
        "{learner} missed a session",
        '{learner} did not join the session "{title}" on {when}.',
    ),
    "fr": (
        "{learner} a manqué une séance",
        "{learner} n'a pas rejoint la séance « {title} » du {when}.",
    ),
    "it": (
        "{learner} ha perso una sessione",
        '{learner} non ha partecipato alla sessione "{title}" del {when}.',
    ),
    "de": (
        "{learner} hat eine Sitzung verpasst",
        "{learner} hat an der Sitzung „{title}“ am {when} nicht teilgenommen.",
    ),
    "es": (
        "{learner} faltó a una sesión",
        "{learner} no se unió a la sesión «{title}» del {when}.",
    ),
    "fi": (
        "{learner} oli poissa tapaamisesta",
        '{learner} ei osallistunut tapaamiseen "{title}" ({when}).',
    ),
}

_SERIES: Final = {
    "en": " (first of {count})",
    "fr": " (première de {count})",
    "it": " (la prima di {count})",
    "de": " (die erste von {count})",
    "es": " (la primera de {count})",
    "fi": " (ensimmäinen {count}:stä)",
}


def _when(facts: Facts) -> str:
    if facts.starts_at is None:
        return ""
    return f"{facts.starts_at:%Y-%m-%d %H:%M} ({facts.zone})"


def render(event: Event, language: str, facts: Facts) -> Message:
    """The message for `event` in `language` (English when there is no translation)."""
    texts = TEMPLATES[event]
    if language not in texts:
        language = DEFAULT_LANGUAGE
    subject, body = texts[language]
    series = _SERIES[language].format(count=facts.count) if facts.count > 1 else ""
    values = {
        "title": facts.title,
        "when": _when(facts),
        "series": series,
        "reason": facts.reason,
        "partners": facts.partners,
        "learner": facts.learner,
        "purpose": facts.purpose,
        "author": facts.author,
    }
    return Message(language, subject.format(**values), body.format(**values))
