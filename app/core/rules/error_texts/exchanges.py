"""Messages of the capabilities' own codes (live tickets, matching, mobility,
organisations, privacy, scheduling).

Where a raise site's English names a value (a status, a count, an age), the message here
stays true without it; `details` and the English message still carry it.
"""

from __future__ import annotations

from typing import Final

from app.core.rules.error_texts.kernel import Texts

CODES: Final[dict[str, Texts]] = {
    # live rooms: joining
    "not_a_member": {
        "en": "Only members of the session's classes join its room.",
        "fr": "Seuls les membres des classes de la séance peuvent rejoindre sa salle.",
        "it": "Solo i membri delle classi della sessione possono entrare nella sua aula virtuale.",
        "de": "Nur Mitglieder der Klassen dieser Sitzung können ihren Raum betreten.",
        "es": "Solo los miembros de las clases de la sesión pueden entrar en su sala.",
        "fi": "Vain tapaamisen luokkien jäsenet voivat liittyä sen huoneeseen.",
    },
    "removed_from_room": {
        "en": "A teacher removed you from this session's room.",
        "fr": "Un enseignant a mis fin à votre accès à la salle de cette séance.",
        "it": "Un docente ha revocato il Suo accesso all'aula di questa sessione.",
        "de": "Eine Lehrkraft hat Sie aus dem Raum dieser Sitzung entfernt.",
        "es": "Un docente ha retirado su acceso a la sala de esta sesión.",
        "fi": "Opettaja on poistanut sinut tämän tapaamisen huoneesta.",
    },
    "consent_required": {
        "en": "This needs a consent that was not given or was withdrawn.",
        "fr": "Cette action nécessite un consentement qui n'a pas été donné ou a été retiré.",
        "it": "Questa operazione richiede un consenso che non è stato dato o è stato revocato.",
        "de": "Dafür ist eine Einwilligung nötig, die nicht erteilt oder widerrufen wurde.",
        "es": "Esta acción requiere un consentimiento que no se ha dado o se ha retirado.",
        "fi": "Tämä edellyttää suostumusta, jota ei ole annettu tai joka on peruttu.",
    },
    "session_cancelled": {
        "en": "The session is cancelled.",
        "fr": "La séance est annulée.",
        "it": "La sessione è stata annullata.",
        "de": "Die Sitzung wurde abgesagt.",
        "es": "La sesión se ha cancelado.",
        "fi": "Tapaaminen on peruttu.",
    },
    "session_ended": {
        "en": "The session has ended.",
        "fr": "La séance est terminée.",
        "it": "La sessione è terminata.",
        "de": "Die Sitzung ist beendet.",
        "es": "La sesión ha terminado.",
        "fi": "Tapaaminen on päättynyt.",
    },
    "room_not_open": {
        "en": "The room is not open yet; it opens shortly before the start.",
        "fr": "La salle n'est pas encore ouverte ; elle ouvre peu avant le début de la séance.",
        "it": "L'aula non è ancora aperta; apre poco prima dell'inizio della sessione.",
        "de": "Der Raum ist noch nicht geöffnet; er öffnet kurz vor Beginn der Sitzung.",
        "es": "La sala aún no está abierta; se abre poco antes del inicio de la sesión.",
        "fi": "Huone ei ole vielä auki; se avautuu vähän ennen tapaamisen alkua.",
    },
    # matching
    "exchange_not_proposed": {
        "en": "This exchange is no longer a proposal; only proposed exchanges are answered.",
        "fr": (
            "Cet échange n'est plus à l'état de proposition ; seuls les échanges proposés "
            "peuvent recevoir une réponse."
        ),
        "it": (
            "Questo scambio non è più una proposta; si può rispondere solo agli scambi proposti."
        ),
        "de": (
            "Dieser Austausch ist kein Vorschlag mehr; nur auf vorgeschlagene Austausche kann "
            "geantwortet werden."
        ),
        "es": (
            "Este intercambio ya no es una propuesta; solo se puede responder a los "
            "intercambios propuestos."
        ),
        "fi": "Tämä vaihto ei ole enää ehdotus; vain ehdotettuihin vaihtoihin voi vastata.",
    },
    # mobility
    "not_abroad": {
        "en": "Check-ins are for a mobility abroad.",
        "fr": "Les points d'étape concernent uniquement les mobilités à l'étranger.",
        "it": "Le verifiche periodiche riguardano solo le mobilità all'estero.",
        "de": "Check-ins gibt es nur bei Mobilitätsaufenthalten im Ausland.",
        "es": "Los seguimientos solo se aplican a las movilidades en el extranjero.",
        "fi": "Kuulumiskyselyt koskevat vain ulkomailla tapahtuvia liikkuvuusjaksoja.",
    },
    "checkin_exists": {
        "en": "A check-in is already due at that time.",
        "fr": "Un point d'étape est déjà prévu à ce moment-là.",
        "it": "È già prevista una verifica periodica per quel momento.",
        "de": "Zu diesem Zeitpunkt ist bereits ein Check-in fällig.",
        "es": "Ya hay un seguimiento previsto para ese momento.",
        "fi": "Samalle ajankohdalle on jo kuulumiskysely.",
    },
    "already_answered": {
        "en": "This check-in is already answered.",
        "fr": "Ce point d'étape a déjà reçu une réponse.",
        "it": "A questa verifica periodica è già stata data risposta.",
        "de": "Dieser Check-in wurde bereits beantwortet.",
        "es": "Este seguimiento ya se ha respondido.",
        "fi": "Tähän kuulumiskyselyyn on jo vastattu.",
    },
    "mobility_closed": {
        "en": "This mobility is closed.",
        "fr": "Cette mobilité est clôturée.",
        "it": "Questa mobilità è chiusa.",
        "de": "Dieser Mobilitätsaufenthalt ist abgeschlossen.",
        "es": "Esta movilidad está cerrada.",
        "fi": "Tämä liikkuvuusjakso on suljettu.",
    },
    "not_item_owner": {
        "en": "Only the item's owner ticks it.",
        "fr": "Seule la personne responsable de cet élément peut le cocher.",
        "it": "Solo il responsabile di questa voce può spuntarla.",
        "de": "Nur die für diesen Eintrag zuständige Person kann ihn abhaken.",
        "es": "Solo la persona responsable de este elemento puede marcarlo.",
        "fi": "Vain kohdan vastuuhenkilö voi merkitä sen tehdyksi.",
    },
    "not_started": {
        "en": "The mobility has not started.",
        "fr": "La mobilité n'a pas encore commencé.",
        "it": "La mobilità non è ancora iniziata.",
        "de": "Der Mobilitätsaufenthalt hat noch nicht begonnen.",
        "es": "La movilidad aún no ha comenzado.",
        "fi": "Liikkuvuusjakso ei ole vielä alkanut.",
    },
    "invalid_transition": {
        "en": "A mobility cannot change from its current status to this one.",
        "fr": "Une mobilité ne peut pas passer de son statut actuel à celui-ci.",
        "it": "Una mobilità non può passare dallo stato attuale a questo.",
        "de": "Ein Mobilitätsaufenthalt kann nicht von seinem aktuellen Status in diesen wechseln.",
        "es": "Una movilidad no puede pasar de su estado actual a este.",
        "fi": "Liikkuvuusjakson tilaa ei voi vaihtaa nykyisestä tähän.",
    },
    # organisations
    "coordinator_cannot_leave": {
        "en": "The coordinating organisation cannot leave its own network.",
        "fr": "L'organisation coordinatrice ne peut pas quitter son propre réseau.",
        "it": "L'organizzazione coordinatrice non può lasciare la propria rete.",
        "de": "Die koordinierende Organisation kann ihr eigenes Netzwerk nicht verlassen.",
        "es": "La organización coordinadora no puede abandonar su propia red.",
        "fi": "Koordinoiva organisaatio ei voi erota omasta verkostostaan.",
    },
    "organisation_in_use": {
        "en": "The organisation still has users, classes or networks; remove or move them first.",
        "fr": (
            "L'organisation compte encore des utilisateurs, des classes ou des réseaux ; "
            "veuillez d'abord les supprimer ou les transférer."
        ),
        "it": (
            "L'organizzazione ha ancora utenti, classi o reti; li rimuova o li trasferisca prima."
        ),
        "de": (
            "Die Organisation hat noch Benutzerkonten, Klassen oder Netzwerke; bitte entfernen "
            "oder verschieben Sie diese zuerst."
        ),
        "es": (
            "La organización todavía tiene usuarios, clases o redes; elimínelos o trasládelos "
            "primero."
        ),
        "fi": (
            "Organisaatiolla on vielä käyttäjiä, luokkia tai verkostoja; poista tai siirrä ne "
            "ensin."
        ),
    },
    # privacy
    "cannot_erase_self": {
        "en": "You cannot erase your own account.",
        "fr": "Vous ne pouvez pas effacer votre propre compte.",
        "it": "Non può cancellare il proprio account.",
        "de": "Sie können Ihr eigenes Konto nicht löschen.",
        "es": "No puede borrar su propia cuenta.",
        "fi": "Et voi poistaa omaa tiliäsi.",
    },
    "already_erased": {
        "en": "This account is already erased.",
        "fr": "Ce compte a déjà été effacé.",
        "it": "Questo account è già stato cancellato.",
        "de": "Dieses Konto wurde bereits gelöscht.",
        "es": "Esta cuenta ya se ha borrado.",
        "fi": "Tämä tili on jo poistettu.",
    },
    # scheduling
    "exchange_not_active": {
        "en": "Sessions are scheduled once every class has accepted the exchange.",
        "fr": (
            "Les séances ne peuvent être planifiées qu'une fois l'échange accepté par toutes "
            "les classes."
        ),
        "it": (
            "Le sessioni si pianificano solo dopo che tutte le classi hanno accettato lo scambio."
        ),
        "de": "Sitzungen können erst geplant werden, wenn alle Klassen den Austausch angenommen "
        "haben.",
        "es": (
            "Las sesiones solo se pueden programar cuando todas las clases han aceptado el "
            "intercambio."
        ),
        "fi": "Tapaamisia voi sopia vasta, kun kaikki luokat ovat hyväksyneet vaihdon.",
    },
    "schedule_conflict": {
        "en": "Some occurrences clash with bookings or fall outside a term.",
        "fr": (
            "Certaines occurrences entrent en conflit avec des réservations ou tombent en "
            "dehors d'une période scolaire."
        ),
        "it": (
            "Alcune ricorrenze si sovrappongono a prenotazioni o cadono fuori dal periodo "
            "scolastico."
        ),
        "de": (
            "Einige Termine überschneiden sich mit Buchungen oder liegen außerhalb der "
            "Unterrichtszeit."
        ),
        "es": ("Algunas repeticiones coinciden con reservas o quedan fuera del periodo lectivo."),
        "fi": "Osa kerroista osuu päällekkäin varausten kanssa tai lukukauden ulkopuolelle.",
    },
    "session_not_scheduled": {
        "en": "This session is no longer scheduled; only scheduled sessions change.",
        "fr": (
            "Cette séance n'est plus planifiée ; seules les séances planifiées peuvent être "
            "modifiées."
        ),
        "it": (
            "Questa sessione non è più in programma; si possono modificare solo le sessioni in "
            "programma."
        ),
        "de": (
            "Diese Sitzung ist nicht mehr geplant; nur geplante Sitzungen können geändert werden."
        ),
        "es": (
            "Esta sesión ya no está programada; solo se pueden modificar las sesiones programadas."
        ),
        "fi": (
            "Tämä tapaaminen ei ole enää aikataulussa; vain aikataulutettuja tapaamisia voi "
            "muuttaa."
        ),
    },
    # exchange threads
    "exchange_thread_closed": {
        "en": "This exchange was declined; its thread can be read but not written to.",
        "fr": "Cet échange a été refusé ; son fil peut être lu mais plus complété.",
        "it": "Questo scambio è stato rifiutato; la sua discussione si può leggere ma non "
        "scrivere.",
        "de": "Dieser Austausch wurde abgelehnt; sein Nachrichtenverlauf kann gelesen, aber "
        "nicht mehr ergänzt werden.",
        "es": "Este intercambio se ha rechazado; su hilo se puede leer, pero no escribir en él.",
        "fi": "Tämä vaihto on hylätty; sen keskustelua voi lukea mutta ei enää kirjoittaa.",
    },
    # Web Push
    "push_disabled": {
        "en": "Web Push is not configured on this server.",
        "fr": "Les notifications Web Push ne sont pas configurées sur ce serveur.",
        "it": "Le notifiche Web Push non sono configurate su questo server.",
        "de": "Web-Push ist auf diesem Server nicht eingerichtet.",
        "es": "Las notificaciones Web Push no están configuradas en este servidor.",
        "fi": "Web Push -ilmoituksia ei ole määritetty tällä palvelimella.",
    },
}
