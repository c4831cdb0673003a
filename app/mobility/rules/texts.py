# ruff: noqa: E501 (one message per line reads better than split strings)
"""Mobility notifications in six languages (English when there is no translation).

Pure: the caller gives the language and the facts (a date already in the recipient's zone).
What each event tells, and to whom, is in docs/mobility.md; none of them carries a check-in's
note or an incident's description.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

MobilityEvent = Literal[
    "mobility.checkin_due",
    "mobility.checkin_missed",
    "mobility.concern",
    "mobility.checklist_overdue",
    "mobility.incident_call",
    "mobility.status_changed",
]
DEFAULT_LANGUAGE: Final = "en"


@dataclass(frozen=True)
class MobilityFacts:
    learner: str = ""
    city: str = ""
    title: str = ""
    day: str = ""  # a date or an instant, already formatted for the recipient
    status: str = ""  # a status code, translated here


STATUS_WORDS: Final[dict[str, dict[str, str]]] = {
    "en": {"preparing": "preparing", "abroad": "departed", "completed": "back home",
           "cancelled": "cancelled", "planned": "planned"},
    "fr": {"preparing": "en préparation", "abroad": "parti(e)", "completed": "de retour",
           "cancelled": "annulée", "planned": "prévue"},
    "it": {"preparing": "in preparazione", "abroad": "partito/a", "completed": "rientrato/a",
           "cancelled": "annullata", "planned": "prevista"},
    "de": {"preparing": "in Vorbereitung", "abroad": "abgereist", "completed": "zurück",
           "cancelled": "abgesagt", "planned": "geplant"},
    "es": {"preparing": "en preparación", "abroad": "ha partido", "completed": "de vuelta",
           "cancelled": "cancelada", "planned": "prevista"},
    "fi": {"preparing": "valmistelussa", "abroad": "lähtenyt", "completed": "palannut",
           "cancelled": "peruttu", "planned": "suunniteltu"},
}  # fmt: skip

_T = dict[str, tuple[str, str]]
TEMPLATES: Final[dict[MobilityEvent, _T]] = {
    "mobility.checkin_due": {
        "en": ("Time for your check-in", "How is your stay in {city} going? Please answer your check-in."),
        "fr": ("C'est l'heure de votre point", "Comment se passe votre séjour à {city} ? Merci de répondre à votre point."),
        "it": ("È ora del tuo check-in", "Come va il tuo soggiorno a {city}? Rispondi al tuo check-in."),
        "de": ("Zeit für Ihre Rückmeldung", "Wie läuft Ihr Aufenthalt in {city}? Bitte beantworten Sie die Rückmeldung."),
        "es": ("Es hora de tu seguimiento", "¿Qué tal tu estancia en {city}? Responde a tu seguimiento."),
        "fi": ("Aika kuulumisille", "Miten oleskelusi kohteessa {city} sujuu? Vastaa kuulumiskyselyyn."),
    },
    "mobility.checkin_missed": {
        "en": ("{learner} missed a check-in", "{learner} has not answered the check-in due {day} ({city}). Please get in touch."),
        "fr": ("{learner} n'a pas répondu", "{learner} n'a pas répondu au point prévu le {day} ({city}). Merci de prendre contact."),
        "it": ("{learner} non ha risposto", "{learner} non ha risposto al check-in del {day} ({city}). Mettiti in contatto."),
        "de": ("{learner} hat nicht geantwortet", "{learner} hat die Rückmeldung vom {day} ({city}) nicht beantwortet. Bitte nehmen Sie Kontakt auf."),
        "es": ("{learner} no ha respondido", "{learner} no ha respondido al seguimiento del {day} ({city}). Ponte en contacto."),
        "fi": ("{learner} ei vastannut", "{learner} ei vastannut kyselyyn ({day}, {city}). Ota yhteyttä."),
    },
    "mobility.concern": {
        "en": ("Check-in needs attention: {learner}", "{learner}'s check-in ({city}) reports low wellbeing or a placement that is not going well. Please get in touch."),
        "fr": ("Point à suivre : {learner}", "Le point de {learner} ({city}) signale un mal-être ou un stage qui se passe mal. Merci de prendre contact."),
        "it": ("Check-in da seguire: {learner}", "Il check-in di {learner} ({city}) segnala un disagio o un tirocinio che non va bene. Mettiti in contatto."),
        "de": ("Rückmeldung beachten: {learner}", "Die Rückmeldung von {learner} ({city}) meldet geringes Wohlbefinden oder ein schwieriges Praktikum. Bitte nehmen Sie Kontakt auf."),
        "es": ("Seguimiento a revisar: {learner}", "El seguimiento de {learner} ({city}) indica malestar o unas prácticas que no van bien. Ponte en contacto."),
        "fi": ("Kysely vaatii huomiota: {learner}", "{learner} ({city}) kertoo heikosta hyvinvoinnista tai harjoittelun ongelmista. Ota yhteyttä."),
    },
    "mobility.checklist_overdue": {
        "en": ("Overdue: {title}", 'The preparation item "{title}" for {learner}\'s stay in {city} was due on {day}.'),
        "fr": ("En retard : {title}", "L'élément de préparation « {title} » du séjour de {learner} à {city} était attendu le {day}."),
        "it": ("In ritardo: {title}", 'La voce di preparazione "{title}" del soggiorno di {learner} a {city} era prevista per il {day}.'),
        "de": ("Überfällig: {title}", "Der Vorbereitungspunkt „{title}“ für den Aufenthalt von {learner} in {city} war am {day} fällig."),
        "es": ("Pendiente: {title}", "El punto de preparación «{title}» de la estancia de {learner} en {city} vencía el {day}."),
        "fi": ("Myöhässä: {title}", 'Valmistelutehtävä "{title}" ({learner}, {city}) piti tehdä {day} mennessä.'),
    },
    "mobility.incident_call": {
        "en": ("The school will call you", "{learner}'s school will call you soon about the stay in {city}."),
        "fr": ("L'établissement va vous appeler", "L'établissement de {learner} va vous appeler prochainement au sujet du séjour à {city}."),
        "it": ("La scuola ti chiamerà", "La scuola di {learner} ti chiamerà a breve per il soggiorno a {city}."),
        "de": ("Die Schule ruft Sie an", "Die Schule von {learner} ruft Sie in Kürze wegen des Aufenthalts in {city} an."),
        "es": ("El centro le llamará", "El centro de {learner} le llamará en breve sobre la estancia en {city}."),
        "fi": ("Oppilaitos soittaa sinulle", "Oppilaitos ({learner}) soittaa sinulle pian oleskelusta kohteessa {city}."),
    },
    "mobility.status_changed": {
        "en": ("{learner}'s stay in {city}: {status}", "{learner}'s stay in {city} is now: {status}."),
        "fr": ("Séjour de {learner} à {city} : {status}", "Le séjour de {learner} à {city} est maintenant : {status}."),
        "it": ("Soggiorno di {learner} a {city}: {status}", "Il soggiorno di {learner} a {city} è ora: {status}."),
        "de": ("Aufenthalt von {learner} in {city}: {status}", "Der Aufenthalt von {learner} in {city} ist jetzt: {status}."),
        "es": ("Estancia de {learner} en {city}: {status}", "La estancia de {learner} en {city} está ahora: {status}."),
        "fi": ("{learner}, {city}: {status}", "Oleskelun tila ({learner}, {city}) on nyt: {status}."),
    },
}  # fmt: skip


def render(event: MobilityEvent, language: str, facts: MobilityFacts) -> tuple[str, str, str]:
    """(language, subject, body) of `event` for a reader of `language`."""
    texts = TEMPLATES[event]
    if language not in texts:
        language = DEFAULT_LANGUAGE
    subject, body = texts[language]
    words = STATUS_WORDS[language]
    values = {
        "learner": facts.learner,
        "city": facts.city,
        "title": facts.title,
        "day": facts.day,
        "status": words.get(facts.status, facts.status),
    }
    return language, subject.format(**values), body.format(**values)
