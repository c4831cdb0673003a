"""Messages of the kernel's codes: the generic ones every capability raises, the HTTP statuses,
and "not found" for each kind of thing a client may ask for."""

from __future__ import annotations

from typing import Final

Texts = dict[str, str]  # language -> message

CODES: Final[dict[str, Texts]] = {
    "bad_request": {
        "en": "The request could not be processed.",
        "fr": "La requête n'a pas pu être traitée.",
        "it": "Non è stato possibile elaborare la richiesta.",
        "de": "Die Anfrage konnte nicht verarbeitet werden.",
        "es": "No se ha podido procesar la solicitud.",
        "fi": "Pyyntöä ei voitu käsitellä.",
    },
    "not_authenticated": {
        "en": "Authentication is required.",
        "fr": "Une authentification est requise : veuillez vous connecter.",
        "it": "È necessaria l'autenticazione: La preghiamo di accedere.",
        "de": "Eine Anmeldung ist erforderlich: Bitte melden Sie sich an.",
        "es": "Es necesario autenticarse: inicie sesión, por favor.",
        "fi": "Tunnistautuminen vaaditaan: kirjaudu sisään.",
    },
    "forbidden": {
        "en": "You are not allowed to do this.",
        "fr": "Vous n'avez pas l'autorisation d'effectuer cette action.",
        "it": "Non dispone dell'autorizzazione per eseguire questa operazione.",
        "de": "Sie sind nicht berechtigt, diese Aktion auszuführen.",
        "es": "No tiene permiso para realizar esta acción.",
        "fi": "Sinulla ei ole oikeutta tähän toimintoon.",
    },
    "not_found": {
        "en": "Not found.",
        "fr": "La ressource demandée est introuvable.",
        "it": "La risorsa richiesta non è stata trovata.",
        "de": "Die angeforderte Ressource wurde nicht gefunden.",
        "es": "No se ha encontrado el recurso solicitado.",
        "fi": "Pyydettyä kohdetta ei löytynyt.",
    },
    "conflict": {
        "en": "The request conflicts with the current state.",
        "fr": "La requête est incompatible avec l'état actuel des données.",
        "it": "La richiesta è in conflitto con lo stato attuale dei dati.",
        "de": "Die Anfrage steht im Widerspruch zum aktuellen Stand der Daten.",
        "es": "La solicitud entra en conflicto con el estado actual de los datos.",
        "fi": "Pyyntö on ristiriidassa tietojen nykyisen tilan kanssa.",
    },
    "validation_error": {
        "en": "Invalid input: {fields}.",
        "fr": "Saisie non valide : {fields}.",
        "it": "Dati non validi: {fields}.",
        "de": "Ungültige Eingabe: {fields}.",
        "es": "Datos no válidos: {fields}.",
        "fi": "Virheellinen syöte: {fields}.",
    },
    "rate_limited": {
        "en": "Too many attempts; try again later.",
        "fr": "Trop de tentatives ; veuillez réessayer plus tard.",
        "it": "Troppi tentativi: La preghiamo di riprovare più tardi.",
        "de": "Zu viele Versuche; bitte versuchen Sie es später erneut.",
        "es": "Demasiados intentos; inténtelo de nuevo más tarde.",
        "fi": "Liian monta yritystä; yritä myöhemmin uudelleen.",
    },
    "method_not_allowed": {
        "en": "This method is not allowed at this address.",
        "fr": "Cette méthode n'est pas autorisée pour cette adresse.",
        "it": "Questo metodo non è consentito per questo indirizzo.",
        "de": "Diese Methode ist für diese Adresse nicht zulässig.",
        "es": "Este método no está permitido para esta dirección.",
        "fi": "Tätä menetelmää ei sallita tässä osoitteessa.",
    },
    "not_acceptable": {
        "en": "The requested response format is not available.",
        "fr": "Le format de réponse demandé n'est pas disponible.",
        "it": "Il formato di risposta richiesto non è disponibile.",
        "de": "Das angeforderte Antwortformat ist nicht verfügbar.",
        "es": "El formato de respuesta solicitado no está disponible.",
        "fi": "Pyydettyä vastausmuotoa ei ole saatavilla.",
    },
    "payload_too_large": {
        "en": "The request body is larger than allowed.",
        "fr": "Le corps de la requête dépasse la taille autorisée.",
        "it": "Il corpo della richiesta supera la dimensione consentita.",
        "de": "Der Inhalt der Anfrage überschreitet die zulässige Größe.",
        "es": "El cuerpo de la solicitud supera el tamaño permitido.",
        "fi": "Pyynnön sisältö ylittää sallitun koon.",
    },
    "unsupported_media_type": {
        "en": "This content type is not supported.",
        "fr": "Ce type de contenu n'est pas pris en charge.",
        "it": "Questo tipo di contenuto non è supportato.",
        "de": "Dieser Inhaltstyp wird nicht unterstützt.",
        "es": "Este tipo de contenido no es compatible.",
        "fi": "Tätä sisältötyyppiä ei tueta.",
    },
    "http_error": {
        "en": "The request could not be completed.",
        "fr": "La requête n'a pas pu aboutir.",
        "it": "Non è stato possibile completare la richiesta.",
        "de": "Die Anfrage konnte nicht abgeschlossen werden.",
        "es": "No se ha podido completar la solicitud.",
        "fi": "Pyyntöä ei voitu suorittaa loppuun.",
    },
    "internal_error": {
        "en": "Something went wrong on our side; it has been logged.",
        "fr": "Une erreur s'est produite de notre côté ; elle a été enregistrée.",
        "it": "Si è verificato un errore da parte nostra; è stato registrato.",
        "de": "Bei uns ist ein Fehler aufgetreten; er wurde protokolliert.",
        "es": "Se ha producido un error por nuestra parte; ha quedado registrado.",
        "fi": "Palvelussamme tapahtui virhe; se on kirjattu lokiin.",
    },
    "cors_refused": {
        "en": (
            "This cross-origin request is not allowed: check the allowed origins and the "
            "request's method and headers."
        ),
        "fr": (
            "Cette requête d'une autre origine n'est pas autorisée : vérifiez les origines "
            "autorisées ainsi que la méthode et les en-têtes de la requête."
        ),
        "it": (
            "Questa richiesta da un'altra origine non è consentita: verifichi le origini "
            "autorizzate, il metodo e le intestazioni della richiesta."
        ),
        "de": (
            "Diese ursprungsübergreifende Anfrage ist nicht zulässig: Bitte prüfen Sie die "
            "erlaubten Ursprünge sowie Methode und Header der Anfrage."
        ),
        "es": (
            "Esta solicitud de otro origen no está permitida: compruebe los orígenes "
            "autorizados, así como el método y las cabeceras de la solicitud."
        ),
        "fi": (
            "Tämä toisesta alkuperästä tuleva pyyntö ei ole sallittu: tarkista sallitut "
            "alkuperät sekä pyynnön menetelmä ja otsakkeet."
        ),
    },
    "request_timeout": {
        "en": "The server took too long to answer; try again.",
        "fr": "Le serveur a mis trop de temps à répondre ; réessayez.",
        "it": "Il server ha impiegato troppo tempo a rispondere; riprova.",
        "de": "Der Server hat zu lange für die Antwort gebraucht; versuchen Sie es erneut.",
        "es": "El servidor tardó demasiado en responder; inténtelo de nuevo.",
        "fi": "Palvelin vastasi liian hitaasti; yritä uudelleen.",
    },
    "broker_unavailable": {
        "en": "The room's message service is unavailable; try again shortly.",
        "fr": "Le service de messages de la salle est indisponible ; réessayez dans un instant.",
        "it": "Il servizio di messaggi della stanza non è disponibile; riprova tra poco.",
        "de": "Der Nachrichtendienst des Raums ist nicht erreichbar; bitte gleich noch einmal.",
        "es": "El servicio de mensajes de la sala no está disponible; inténtelo de nuevo en breve.",
        "fi": "Huoneen viestipalvelu ei ole käytettävissä; yritä hetken kuluttua uudelleen.",
    },
    "database_unavailable": {
        "en": "The database is unavailable; try again shortly.",
        "fr": "La base de données est indisponible ; réessayez dans un instant.",
        "it": "Il database non è disponibile; riprova tra poco.",
        "de": "Die Datenbank ist nicht erreichbar; versuchen Sie es gleich noch einmal.",
        "es": "La base de datos no está disponible; inténtelo de nuevo en unos instantes.",
        "fi": "Tietokanta ei ole käytettävissä; yritä hetken kuluttua uudelleen.",
    },
    "not_ready": {
        "en": "The service is not ready: a dependency is unavailable.",
        "fr": "Le service n'est pas prêt : une dépendance est indisponible.",
        "it": "Il servizio non è pronto: una dipendenza non è disponibile.",
        "de": "Der Dienst ist nicht bereit: Eine Abhängigkeit ist nicht verfügbar.",
        "es": "El servicio no está listo: una dependencia no está disponible.",
        "fi": "Palvelu ei ole valmis: jokin riippuvuus ei ole käytettävissä.",
    },
}

# `not_found("Class")` raises `not_found` with the text key `not_found.class`: one sentence per
# language, since the noun's gender and case shape the whole sentence.
NOT_FOUND: Final[dict[str, Texts]] = {
    "not_found.push_subscription": {
        "en": "Push subscription not found.",
        "fr": "Abonnement aux notifications push introuvable.",
        "it": "Iscrizione alle notifiche push non trovata.",
        "de": "Das Push-Abonnement wurde nicht gefunden.",
        "es": "No se ha encontrado la suscripción a las notificaciones push.",
        "fi": "Push-tilausta ei löytynyt.",
    },
    "not_found.calendar_feed": {
        "en": "Calendar feed not found.",
        "fr": "Flux de calendrier introuvable.",
        "it": "Feed del calendario non trovato.",
        "de": "Der Kalender-Feed wurde nicht gefunden.",
        "es": "No se ha encontrado el feed del calendario.",
        "fi": "Kalenterisyötettä ei löytynyt.",
    },
    "not_found.certificate": {
        "en": "Certificate not found.",
        "fr": "Attestation introuvable.",
        "it": "Attestato non trovato.",
        "de": "Die Bescheinigung wurde nicht gefunden.",
        "es": "No se ha encontrado el certificado.",
        "fi": "Todistusta ei löytynyt.",
    },
    "not_found.check_in": {
        "en": "Check-in not found.",
        "fr": "Point d'étape introuvable.",
        "it": "Verifica periodica non trovata.",
        "de": "Der Check-in wurde nicht gefunden.",
        "es": "No se ha encontrado el seguimiento.",
        "fi": "Kuulumiskyselyä ei löytynyt.",
    },
    "not_found.checklist_item": {
        "en": "Checklist item not found.",
        "fr": "Élément de la liste de contrôle introuvable.",
        "it": "Voce della lista di controllo non trovata.",
        "de": "Der Eintrag der Checkliste wurde nicht gefunden.",
        "es": "No se ha encontrado el elemento de la lista de comprobación.",
        "fi": "Tarkistuslistan kohtaa ei löytynyt.",
    },
    "not_found.class": {
        "en": "Class not found.",
        "fr": "Classe introuvable.",
        "it": "Classe non trovata.",
        "de": "Die Klasse wurde nicht gefunden.",
        "es": "No se ha encontrado la clase.",
        "fi": "Luokkaa ei löytynyt.",
    },
    "not_found.exchange": {
        "en": "Exchange not found.",
        "fr": "Échange introuvable.",
        "it": "Scambio non trovato.",
        "de": "Der Austausch wurde nicht gefunden.",
        "es": "No se ha encontrado el intercambio.",
        "fi": "Vaihtoa ei löytynyt.",
    },
    "not_found.guardian_link": {
        "en": "Guardian link not found.",
        "fr": "Lien avec le responsable légal introuvable.",
        "it": "Collegamento con il genitore o tutore non trovato.",
        "de": "Die Verknüpfung mit der erziehungsberechtigten Person wurde nicht gefunden.",
        "es": "No se ha encontrado el vínculo con el tutor legal.",
        "fi": "Huoltajan linkitystä ei löytynyt.",
    },
    "not_found.invitation": {
        "en": "Invitation not found.",
        "fr": "Invitation introuvable.",
        "it": "Invito non trovato.",
        "de": "Die Einladung wurde nicht gefunden.",
        "es": "No se ha encontrado la invitación.",
        "fi": "Kutsua ei löytynyt.",
    },
    "not_found.learner": {
        "en": "Learner not found.",
        "fr": "Apprenant introuvable.",
        "it": "Studente non trovato.",
        "de": "Die lernende Person wurde nicht gefunden.",
        "es": "No se ha encontrado al alumno.",
        "fi": "Opiskelijaa ei löytynyt.",
    },
    "not_found.matching_run": {
        "en": "Matching run not found.",
        "fr": "Calcul d'appariement introuvable.",
        "it": "Esecuzione dell'abbinamento non trovata.",
        "de": "Der Zuordnungslauf wurde nicht gefunden.",
        "es": "No se ha encontrado la ejecución del emparejamiento.",
        "fi": "Parinmuodostusajoa ei löytynyt.",
    },
    "not_found.mobility": {
        "en": "Mobility not found.",
        "fr": "Mobilité introuvable.",
        "it": "Mobilità non trovata.",
        "de": "Der Mobilitätsaufenthalt wurde nicht gefunden.",
        "es": "No se ha encontrado la movilidad.",
        "fi": "Liikkuvuusjaksoa ei löytynyt.",
    },
    "not_found.network": {
        "en": "Network not found.",
        "fr": "Réseau introuvable.",
        "it": "Rete non trovata.",
        "de": "Das Netzwerk wurde nicht gefunden.",
        "es": "No se ha encontrado la red.",
        "fi": "Verkostoa ei löytynyt.",
    },
    "not_found.network_member": {
        "en": "Network member not found.",
        "fr": "Membre du réseau introuvable.",
        "it": "Membro della rete non trovato.",
        "de": "Das Mitglied des Netzwerks wurde nicht gefunden.",
        "es": "No se ha encontrado el miembro de la red.",
        "fi": "Verkoston jäsentä ei löytynyt.",
    },
    "not_found.notification": {
        "en": "Notification not found.",
        "fr": "Notification introuvable.",
        "it": "Notifica non trovata.",
        "de": "Die Benachrichtigung wurde nicht gefunden.",
        "es": "No se ha encontrado la notificación.",
        "fi": "Ilmoitusta ei löytynyt.",
    },
    "not_found.organisation": {
        "en": "Organisation not found.",
        "fr": "Organisation introuvable.",
        "it": "Organizzazione non trovata.",
        "de": "Die Organisation wurde nicht gefunden.",
        "es": "No se ha encontrado la organización.",
        "fi": "Organisaatiota ei löytynyt.",
    },
    "not_found.override": {
        "en": "Override not found.",
        "fr": "Correction de présence introuvable.",
        "it": "Rettifica della presenza non trovata.",
        "de": "Die Korrektur der Anwesenheit wurde nicht gefunden.",
        "es": "No se ha encontrado la corrección de asistencia.",
        "fi": "Läsnäolon korjausta ei löytynyt.",
    },
    "not_found.session": {
        "en": "Session not found.",
        "fr": "Séance introuvable.",
        "it": "Sessione non trovata.",
        "de": "Die Sitzung wurde nicht gefunden.",
        "es": "No se ha encontrado la sesión.",
        "fi": "Tapaamista ei löytynyt.",
    },
    "not_found.user": {
        "en": "User not found.",
        "fr": "Utilisateur introuvable.",
        "it": "Utente non trovato.",
        "de": "Das Benutzerkonto wurde nicht gefunden.",
        "es": "No se ha encontrado el usuario.",
        "fi": "Käyttäjää ei löytynyt.",
    },
}
