# ruff: noqa: E501 (one message per line reads better than split strings)
"""Host-family notifications in six languages (English when there is no translation).

Pure: the caller gives the language and the facts. A message's text is never in a
notification or an e-mail: the reader opens the thread to read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

HostingEvent = Literal[
    "hosting.placements_proposed", "hosting.placement_accepted", "hosting.message"
]
DEFAULT_LANGUAGE: Final = "en"


@dataclass(frozen=True)
class HostingFacts:
    learner: str = ""
    family: str = ""
    city: str = ""
    author: str = ""


TEMPLATES: Final[dict[HostingEvent, dict[str, tuple[str, str]]]] = {
    "hosting.placements_proposed": {
        "en": ("Host-family proposals to decide", "New host-family placements are proposed for you to accept or decline."),
        "fr": ("Propositions de familles d'accueil", "De nouveaux placements en famille d'accueil vous sont proposés : merci d'accepter ou de refuser."),
        "it": ("Proposte di famiglie ospitanti", "Nuovi abbinamenti con famiglie ospitanti ti sono proposti: accetta o rifiuta."),
        "de": ("Vorschläge für Gastfamilien", "Neue Unterbringungen in Gastfamilien werden Ihnen vorgeschlagen: bitte annehmen oder ablehnen."),
        "es": ("Propuestas de familias de acogida", "Se te proponen nuevos alojamientos en familias de acogida: acepta o rechaza."),
        "fi": ("Isäntäperhe-ehdotuksia", "Sinulle ehdotetaan uusia isäntäperhemajoituksia: hyväksy tai hylkää."),
    },
    "hosting.placement_accepted": {
        "en": ("{learner} will stay with the {family} family", "{learner}'s stay in {city} with the {family} family is confirmed. The placement's thread is open."),
        "fr": ("{learner} sera accueilli(e) par la famille {family}", "Le séjour de {learner} à {city} dans la famille {family} est confirmé. Le fil de discussion est ouvert."),
        "it": ("{learner} sarà ospite della famiglia {family}", "Il soggiorno di {learner} a {city} presso la famiglia {family} è confermato. La conversazione è aperta."),
        "de": ("{learner} wohnt bei Familie {family}", "Der Aufenthalt von {learner} in {city} bei Familie {family} ist bestätigt. Der Gesprächsverlauf ist offen."),
        "es": ("{learner} se alojará con la familia {family}", "La estancia de {learner} en {city} con la familia {family} está confirmada. La conversación está abierta."),
        "fi": ("{learner} majoittuu perheessä {family}", "Majoitus ({learner}, {city}, perhe {family}) on vahvistettu. Keskustelu on avattu."),
    },
    "hosting.message": {
        "en": ("New message about {learner}'s stay", "{author} wrote in the thread about {learner}'s stay with the {family} family. Open Passerelle to read it."),
        "fr": ("Nouveau message sur le séjour de {learner}", "{author} a écrit dans le fil sur le séjour de {learner} dans la famille {family}. Ouvrez Passerelle pour le lire."),
        "it": ("Nuovo messaggio sul soggiorno di {learner}", "{author} ha scritto nella conversazione sul soggiorno di {learner} presso la famiglia {family}. Apri Passerelle per leggerlo."),
        "de": ("Neue Nachricht zum Aufenthalt von {learner}", "{author} hat im Gespräch zum Aufenthalt von {learner} bei Familie {family} geschrieben. Öffnen Sie Passerelle, um sie zu lesen."),
        "es": ("Nuevo mensaje sobre la estancia de {learner}", "{author} ha escrito en la conversación sobre la estancia de {learner} con la familia {family}. Abre Passerelle para leerlo."),
        "fi": ("Uusi viesti: {learner}", "{author} kirjoitti keskusteluun opiskelijan {learner} majoituksesta perheessä {family}. Avaa Passerelle lukeaksesi."),
    },
}  # fmt: skip


def render(event: HostingEvent, language: str, facts: HostingFacts) -> tuple[str, str, str]:
    """(language, subject, body) of `event` for a reader of `language`."""
    texts = TEMPLATES[event]
    if language not in texts:
        language = DEFAULT_LANGUAGE
    subject, body = texts[language]
    values = {"learner": facts.learner, "family": facts.family, "city": facts.city}
    values["author"] = facts.author
    return language, subject.format(**values), body.format(**values)
