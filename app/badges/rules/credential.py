"""The Open Badges 3.0 `OpenBadgeCredential` of a virtual-exchange participation, and its
VC-JWT claims: pure, the texts in six languages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

LANGUAGES = ("en", "fr", "it", "de", "es", "fi")
CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]

NAME = {
    "en": "Virtual exchange participant",
    "fr": "Participant à un échange virtuel",
    "it": "Partecipante a uno scambio virtuale",
    "de": "Teilnahme am virtuellen Austausch",
    "es": "Participante en un intercambio virtual",
    "fi": "Virtuaalivaihdon osallistuja",
}
DESCRIPTION = {
    "en": "Took part in an international virtual exchange between vocational schools.",
    "fr": "A participé à un échange virtuel international entre écoles professionnelles.",
    "it": "Ha partecipato a uno scambio virtuale internazionale tra scuole professionali.",
    "de": "Hat an einem internationalen virtuellen Austausch zwischen Berufsschulen teilgenommen.",
    "es": "Participó en un intercambio virtual internacional entre centros de FP.",
    "fi": "Osallistui ammatillisten oppilaitosten kansainväliseen virtuaalivaihtoon.",
}
CRITERIA = {
    "en": "At least {hours} contact hours in {sessions} live sessions with a partner class "
    "abroad, and {reflections} written reflection(s).",
    "fr": "Au moins {hours} heures de contact en {sessions} séances en direct avec une classe "
    "partenaire à l'étranger, et {reflections} réflexion(s) écrite(s).",
    "it": "Almeno {hours} ore di contatto in {sessions} sessioni dal vivo con una classe "
    "partner all'estero e {reflections} riflessione/i scritta/e.",
    "de": "Mindestens {hours} Kontaktstunden in {sessions} Live-Sitzungen mit einer "
    "Partnerklasse im Ausland und {reflections} schriftliche Reflexion(en).",
    "es": "Al menos {hours} horas de contacto en {sessions} sesiones en directo con una clase "
    "socia del extranjero y {reflections} reflexión(es) escrita(s).",
    "fi": "Vähintään {hours} kontaktituntia {sessions} live-istunnossa ulkomaisen "
    "kumppaniluokan kanssa ja {reflections} kirjallista pohdintaa.",
}
BADGE_TEXTS = {"name": NAME, "description": DESCRIPTION, "criteria": CRITERIA}


@dataclass(frozen=True)
class Criteria:
    min_hours: float
    min_sessions: int
    min_reflections: int

    def met(self, *, seconds: int, sessions: int, reflections: int) -> bool:
        return (
            seconds >= self.min_hours * 3600
            and sessions >= self.min_sessions
            and reflections >= self.min_reflections
        )

    def texts(self) -> dict[str, str]:
        hours = f"{self.min_hours:g}"
        return {
            lang: CRITERIA[lang].format(
                hours=hours, sessions=self.min_sessions, reflections=self.min_reflections
            )
            for lang in LANGUAGES
        }


@dataclass(frozen=True)
class Issue:
    badge_id: str
    issuer_url: str
    issuer_name: str
    issuer_country: str
    issuer_city: str
    achievement_url: str
    learner_id: str
    learner_name: str
    issued_at: datetime
    criteria: Criteria
    hours: float
    sessions: int
    reflections: int
    partner_countries: list[str]
    certificate_url: str | None


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def multilingual(texts: dict[str, str]) -> str:
    """One Markdown text holding every language (OB 3.0 fields are single strings)."""
    return "\n\n".join(f"**{lang}**: {texts[lang]}" for lang in LANGUAGES)


def achievement(issue: Issue) -> dict[str, Any]:
    return {
        "id": issue.achievement_url,
        "type": ["Achievement"],
        "achievementType": "Badge",
        "name": NAME["en"],
        "description": multilingual(DESCRIPTION),
        "criteria": {"narrative": multilingual(issue.criteria.texts())},
        "inLanguage": "en",
        "tag": ["virtual exchange", "internationalisation at home", "VET"],
    }


def issuer_profile(url: str, name: str, country: str, city: str) -> dict[str, Any]:
    return {
        "id": url,
        "type": ["Profile"],
        "name": name,
        "address": {"type": ["Address"], "addressCountryCode": country, "addressLocality": city},
    }


def credential(issue: Issue) -> dict[str, Any]:
    """The `OpenBadgeCredential` (JSON-LD, VC data model 2.0 and OB 3.0 contexts)."""
    evidence: dict[str, Any] = {
        "type": ["Evidence"],
        "name": "Participation",
        "narrative": (
            f"{issue.hours:g} contact hours, {issue.sessions} sessions, "
            f"{issue.reflections} reflections; partner countries: "
            f"{', '.join(issue.partner_countries) or '-'}."
        ),
    }
    if issue.certificate_url:
        evidence["id"] = issue.certificate_url
    return {
        "@context": list(CONTEXTS),
        "id": f"urn:uuid:{issue.badge_id}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": NAME["en"],
        "issuer": issuer_profile(
            issue.issuer_url, issue.issuer_name, issue.issuer_country, issue.issuer_city
        ),
        "validFrom": iso(issue.issued_at),
        "credentialSubject": {
            "id": f"urn:uuid:{issue.learner_id}",
            "type": ["AchievementSubject"],
            "achievement": achievement(issue),
        },
        "evidence": [evidence],
    }


def claims(issue: Issue) -> dict[str, Any]:
    """The VC-JWT claims: the credential under `vc`, and `iss`, `sub`, `jti`, `nbf`, `iat`
    agreeing with it."""
    moment = int(issue.issued_at.timestamp())
    return {
        "iss": issue.issuer_url,
        "sub": f"urn:uuid:{issue.learner_id}",
        "jti": f"urn:uuid:{issue.badge_id}",
        "nbf": moment,
        "iat": moment,
        "vc": credential(issue),
    }
