"""Messages of the capabilities' own codes (accounts, attendance, classes, families).

Where a raise site's English names a value (a status, a count, an age), the message here
stays true without it; `details` and the English message still carry it.
"""

from __future__ import annotations

from typing import Final

from app.core.rules.error_texts.kernel import Texts

CODES: Final[dict[str, Texts]] = {
    # accounts
    "invalid_credentials": {
        "en": "Incorrect e-mail or password.",
        "fr": "Adresse e-mail ou mot de passe incorrect.",
        "it": "Indirizzo e-mail o password non corretti.",
        "de": "E-Mail-Adresse oder Passwort ist falsch.",
        "es": "Correo electrónico o contraseña incorrectos.",
        "fi": "Sähköpostiosoite tai salasana on väärä.",
    },
    "invalid_token": {
        "en": "The access token is invalid or expired.",
        "fr": "Le jeton d'accès est invalide ou a expiré.",
        "it": "Il token di accesso non è valido o è scaduto.",
        "de": "Das Zugriffstoken ist ungültig oder abgelaufen.",
        "es": "El token de acceso no es válido o ha caducado.",
        "fi": "Pääsytunnus on virheellinen tai vanhentunut.",
    },
    "invalid_refresh_token": {
        "en": "The refresh token is invalid or expired.",
        "fr": "Le jeton de renouvellement est invalide ou a expiré.",
        "it": "Il token di rinnovo non è valido o è scaduto.",
        "de": "Das Aktualisierungstoken ist ungültig oder abgelaufen.",
        "es": "El token de renovación no es válido o ha caducado.",
        "fi": "Uusintatunnus on virheellinen tai vanhentunut.",
    },
    "refresh_token_reused": {
        "en": "This refresh token was already used; every session from that login is now closed.",
        "fr": (
            "Ce jeton de renouvellement a déjà été utilisé ; toutes les sessions ouvertes par "
            "cette connexion ont été fermées."
        ),
        "it": (
            "Questo token di rinnovo è già stato utilizzato; tutte le sessioni di quell'accesso "
            "sono state chiuse."
        ),
        "de": (
            "Dieses Aktualisierungstoken wurde bereits verwendet; alle Sitzungen dieser "
            "Anmeldung wurden beendet."
        ),
        "es": (
            "Este token de renovación ya se había utilizado; se han cerrado todas las sesiones "
            "de ese inicio de sesión."
        ),
        "fi": "Tämä uusintatunnus on jo käytetty; kaikki tämän kirjautumisen istunnot on suljettu.",
    },
    "email_taken": {
        "en": "This e-mail address already belongs to an account.",
        "fr": "Cette adresse e-mail appartient déjà à un compte.",
        "it": "Questo indirizzo e-mail appartiene già a un account.",
        "de": "Diese E-Mail-Adresse gehört bereits zu einem Konto.",
        "es": "Esta dirección de correo electrónico ya pertenece a una cuenta.",
        "fi": "Tämä sähköpostiosoite kuuluu jo toiselle tilille.",
    },
    "cannot_deactivate_self": {
        "en": "You cannot deactivate your own account.",
        "fr": "Vous ne pouvez pas désactiver votre propre compte.",
        "it": "Non può disattivare il proprio account.",
        "de": "Sie können Ihr eigenes Konto nicht deaktivieren.",
        "es": "No puede desactivar su propia cuenta.",
        "fi": "Et voi poistaa omaa tiliäsi käytöstä.",
    },
    "too_many_guardians": {
        "en": "This learner already has the maximum number of guardians.",
        "fr": "Cet apprenant a déjà le nombre maximal de responsables légaux.",
        "it": "Questo studente ha già il numero massimo di genitori o tutori.",
        "de": "Für diese lernende Person ist bereits die Höchstzahl an Erziehungsberechtigten "
        "eingetragen.",
        "es": "Este alumno ya tiene el número máximo de tutores legales.",
        "fi": "Opiskelijalla on jo enimmäismäärä huoltajia.",
    },
    "login_required": {
        "en": "A guardian account with this address exists: log in to accept.",
        "fr": (
            "Un compte de responsable légal existe déjà pour cette adresse : veuillez vous "
            "connecter pour accepter l'invitation."
        ),
        "it": (
            "Esiste già un account di genitore o tutore con questo indirizzo: acceda per "
            "accettare l'invito."
        ),
        "de": (
            "Für diese Adresse besteht bereits ein Konto einer erziehungsberechtigten Person: "
            "Bitte melden Sie sich an, um die Einladung anzunehmen."
        ),
        "es": (
            "Ya existe una cuenta de tutor legal con esta dirección: inicie sesión para "
            "aceptar la invitación."
        ),
        "fi": "Tällä osoitteella on jo huoltajan tili: kirjaudu sisään hyväksyäksesi kutsun.",
    },
    # attendance
    "not_your_learner": {
        "en": "Only the learner's own teachers and school coordinators change their attendance.",
        "fr": (
            "Seuls les enseignants de l'apprenant et les coordinateurs de son établissement "
            "peuvent modifier ses présences."
        ),
        "it": (
            "Solo i docenti dello studente e i coordinatori della sua scuola possono modificarne "
            "le presenze."
        ),
        "de": (
            "Nur die Lehrkräfte der lernenden Person und die Koordination ihrer Schule können "
            "ihre Anwesenheit ändern."
        ),
        "es": (
            "Solo el profesorado del alumno y la coordinación de su centro pueden modificar su "
            "asistencia."
        ),
        "fi": (
            "Vain opiskelijan omat opettajat ja oppilaitoksen koordinaattorit voivat muuttaa "
            "hänen läsnäolotietojaan."
        ),
    },
    "not_class_staff": {
        "en": "Only the class's teachers and its school's coordinators read its report.",
        "fr": (
            "Seuls les enseignants de la classe et les coordinateurs de son établissement "
            "peuvent consulter son rapport."
        ),
        "it": (
            "Solo i docenti della classe e i coordinatori della sua scuola possono consultarne "
            "il resoconto."
        ),
        "de": (
            "Nur die Lehrkräfte der Klasse und die Koordination ihrer Schule können ihren "
            "Bericht einsehen."
        ),
        "es": (
            "Solo el profesorado de la clase y la coordinación de su centro pueden consultar "
            "su informe."
        ),
        "fi": "Vain luokan opettajat ja oppilaitoksen koordinaattorit voivat lukea sen raportin.",
    },
    "not_exchange_staff": {
        "en": "Only the exchange's teachers and its schools' coordinators read its report.",
        "fr": (
            "Seuls les enseignants de l'échange et les coordinateurs de ses établissements "
            "peuvent consulter son rapport."
        ),
        "it": (
            "Solo i docenti dello scambio e i coordinatori delle sue scuole possono consultarne "
            "il resoconto."
        ),
        "de": (
            "Nur die Lehrkräfte des Austauschs und die Koordination seiner Schulen können "
            "seinen Bericht einsehen."
        ),
        "es": (
            "Solo el profesorado del intercambio y la coordinación de sus centros pueden "
            "consultar su informe."
        ),
        "fi": (
            "Vain vaihdon opettajat ja sen oppilaitosten koordinaattorit voivat lukea sen raportin."
        ),
    },
    # classes
    "class_in_exchange": {
        "en": "The class is in a proposed or active exchange; decline or end it first.",
        "fr": (
            "La classe participe à un échange proposé ou en cours ; veuillez d'abord le refuser "
            "ou y mettre fin."
        ),
        "it": (
            "La classe partecipa a uno scambio proposto o in corso; lo rifiuti o lo concluda prima."
        ),
        "de": (
            "Die Klasse nimmt an einem vorgeschlagenen oder laufenden Austausch teil; bitte "
            "lehnen Sie ihn zuerst ab oder beenden Sie ihn."
        ),
        "es": (
            "La clase participa en un intercambio propuesto o en curso; primero rechácelo o "
            "finalícelo."
        ),
        "fi": (
            "Luokka on mukana ehdotetussa tai käynnissä olevassa vaihdossa; hylkää tai päätä "
            "vaihto ensin."
        ),
    },
    # families
    "school_only": {
        "en": "Only the school asks for a consent.",
        "fr": "Seul l'établissement peut demander un consentement.",
        "it": "Solo la scuola può richiedere un consenso.",
        "de": "Nur die Schule kann eine Einwilligung anfragen.",
        "es": "Solo el centro puede solicitar un consentimiento.",
        "fi": "Vain oppilaitos voi pyytää suostumusta.",
    },
    "consent_already_given": {
        "en": "This consent already stands.",
        "fr": "Ce consentement a déjà été donné.",
        "it": "Questo consenso è già stato dato.",
        "de": "Diese Einwilligung liegt bereits vor.",
        "es": "Este consentimiento ya se ha otorgado.",
        "fi": "Tämä suostumus on jo annettu.",
    },
    "consent_not_given": {
        "en": "No consent stands for this purpose: there is nothing to withdraw.",
        "fr": "Aucun consentement n'a été donné pour cette finalité : il n'y a rien à retirer.",
        "it": "Non risulta alcun consenso per questa finalità: non c'è nulla da revocare.",
        "de": "Für diesen Zweck liegt keine Einwilligung vor: Es gibt nichts zu widerrufen.",
        "es": "No consta ningún consentimiento para esta finalidad: no hay nada que retirar.",
        "fi": "Tähän tarkoitukseen ei ole annettu suostumusta, joten peruttavaa ei ole.",
    },
    "no_guardian": {
        "en": "A guardian must consent, and none is linked: invite one first.",
        "fr": (
            "Ce consentement doit être donné par un responsable légal, et aucun n'est associé : "
            "veuillez d'abord en inviter un."
        ),
        "it": (
            "Il consenso deve essere dato da un genitore o tutore, ma nessuno è collegato: "
            "ne inviti prima uno."
        ),
        "de": (
            "Die Einwilligung muss eine erziehungsberechtigte Person erteilen, doch keine ist "
            "verknüpft: Bitte laden Sie zuerst eine ein."
        ),
        "es": (
            "El consentimiento debe darlo un tutor legal y no hay ninguno vinculado: invite "
            "primero a uno."
        ),
        "fi": (
            "Suostumuksen antaa huoltaja, mutta yhtään huoltajaa ei ole linkitetty: kutsu ensin "
            "huoltaja."
        ),
    },
    "guardian_consent_required": {
        "en": "Below the digital-consent age, a linked guardian gives this consent.",
        "fr": (
            "En dessous de l'âge du consentement numérique, ce consentement est donné par un "
            "responsable légal associé."
        ),
        "it": (
            "Al di sotto dell'età del consenso digitale, questo consenso è dato da un genitore "
            "o tutore collegato."
        ),
        "de": (
            "Unterhalb des digitalen Einwilligungsalters erteilt eine verknüpfte "
            "erziehungsberechtigte Person diese Einwilligung."
        ),
        "es": (
            "Por debajo de la edad de consentimiento digital, este consentimiento lo da un "
            "tutor legal vinculado."
        ),
        "fi": (
            "Digitaalisen suostumusiän alittavan opiskelijan puolesta suostumuksen antaa "
            "linkitetty huoltaja."
        ),
    },
    "learner_decides": {
        "en": "The learner has reached the digital-consent age and decides alone.",
        "fr": "L'apprenant a atteint l'âge du consentement numérique et décide seul.",
        "it": "Lo studente ha raggiunto l'età del consenso digitale e decide autonomamente.",
        "de": (
            "Die lernende Person hat das digitale Einwilligungsalter erreicht und entscheidet "
            "selbst."
        ),
        "es": "El alumno ha alcanzado la edad de consentimiento digital y decide por sí mismo.",
        "fi": "Opiskelija on saavuttanut digitaalisen suostumusiän ja päättää asiasta itse.",
    },
    "already_linked": {
        "en": "This guardian is already linked to the learner.",
        "fr": "Ce responsable légal est déjà associé à l'apprenant.",
        "it": "Questo genitore o tutore è già collegato allo studente.",
        "de": "Diese erziehungsberechtigte Person ist bereits mit der lernenden Person verknüpft.",
        "es": "Este tutor legal ya está vinculado al alumno.",
        "fi": "Tämä huoltaja on jo linkitetty opiskelijaan.",
    },
    "invite_used": {
        "en": "This invitation was already used.",
        "fr": "Cette invitation a déjà été utilisée.",
        "it": "Questo invito è già stato utilizzato.",
        "de": "Diese Einladung wurde bereits verwendet.",
        "es": "Esta invitación ya se ha utilizado.",
        "fi": "Tämä kutsu on jo käytetty.",
    },
    "invite_revoked": {
        "en": "This invitation is no longer valid.",
        "fr": "Cette invitation n'est plus valable.",
        "it": "Questo invito non è più valido.",
        "de": "Diese Einladung ist nicht mehr gültig.",
        "es": "Esta invitación ya no es válida.",
        "fi": "Tämä kutsu ei ole enää voimassa.",
    },
    "invite_expired": {
        "en": "This invitation has expired; ask the school for a new one.",
        "fr": ("Cette invitation a expiré ; veuillez en demander une nouvelle à l'établissement."),
        "it": "Questo invito è scaduto; ne chieda uno nuovo alla scuola.",
        "de": "Diese Einladung ist abgelaufen; bitte fragen Sie die Schule nach einer neuen.",
        "es": "Esta invitación ha caducado; solicite una nueva al centro.",
        "fi": "Tämä kutsu on vanhentunut; pyydä oppilaitokselta uusi kutsu.",
    },
    "invite_for_another_account": {
        "en": "This invitation is for another account.",
        "fr": "Cette invitation est destinée à un autre compte.",
        "it": "Questo invito è destinato a un altro account.",
        "de": "Diese Einladung gilt für ein anderes Konto.",
        "es": "Esta invitación está destinada a otra cuenta.",
        "fi": "Tämä kutsu on tarkoitettu toiselle tilille.",
    },
}
