"""The closing reflection (also the default reflection of a session) and the statements of
the intercultural-competence self-assessment."""

from __future__ import annotations

from app.activities.rules.texts import Template, t

REFLECTION_QUESTIONS = [
    {
        "id": "learned",
        "text": t(
            "What did you learn about the partner country today?",
            "Qu'as-tu appris aujourd'hui sur le pays partenaire ?",
            "Che cosa hai imparato oggi sul paese partner?",
            "Was hast du heute über das Partnerland gelernt?",
            "¿Qué has aprendido hoy sobre el país socio?",
            "Mitä opit tänään kumppanimaasta?",
        ),
    },
    {
        "id": "surprised",
        "text": t(
            "What surprised you in how they work?",
            "Qu'est-ce qui t'a surpris dans leur façon de travailler ?",
            "Che cosa ti ha sorpreso nel loro modo di lavorare?",
            "Was hat dich an ihrer Arbeitsweise überrascht?",
            "¿Qué te sorprendió de su forma de trabajar?",
            "Mikä yllätti sinut heidän työtavassaan?",
        ),
    },
    {
        "id": "next_time",
        "text": t(
            "What will you try next time?",
            "Qu'essaieras-tu la prochaine fois ?",
            "Che cosa proverai la prossima volta?",
            "Was probierst du beim nächsten Mal aus?",
            "¿Qué probarás la próxima vez?",
            "Mitä kokeilet ensi kerralla?",
        ),
    },
]

SELF_ASSESSMENT = [
    {
        "id": "curiosity",
        "text": t(
            "I am curious about how people work in other countries.",
            "Je suis curieux de la façon dont on travaille dans d'autres pays.",
            "Sono curioso di come si lavora in altri paesi.",
            "Ich bin neugierig, wie man in anderen Ländern arbeitet.",
            "Tengo curiosidad por cómo se trabaja en otros países.",
            "Olen utelias siitä, miten muissa maissa tehdään töitä.",
        ),
    },
    {
        "id": "communication",
        "text": t(
            "I can make myself understood with people who speak another language.",
            "Je sais me faire comprendre de personnes qui parlent une autre langue.",
            "Riesco a farmi capire da persone che parlano un'altra lingua.",
            "Ich kann mich mit Menschen einer anderen Sprache verständigen.",
            "Sé hacerme entender con personas que hablan otro idioma.",
            "Osaan tulla ymmärretyksi toista kieltä puhuvien kanssa.",
        ),
    },
    {
        "id": "perspective",
        "text": t(
            "I can see a situation from another culture's point of view.",
            "Je sais voir une situation du point de vue d'une autre culture.",
            "So vedere una situazione dal punto di vista di un'altra cultura.",
            "Ich kann eine Situation aus Sicht einer anderen Kultur sehen.",
            "Sé ver una situación desde el punto de vista de otra cultura.",
            "Osaan nähdä tilanteen toisen kulttuurin näkökulmasta.",
        ),
    },
    {
        "id": "teamwork",
        "text": t(
            "I work well in a team with people from other countries.",
            "Je travaille bien en équipe avec des personnes d'autres pays.",
            "Lavoro bene in squadra con persone di altri paesi.",
            "Ich arbeite gut im Team mit Menschen aus anderen Ländern.",
            "Trabajo bien en equipo con personas de otros países.",
            "Toimin hyvin tiimissä muiden maiden ihmisten kanssa.",
        ),
    },
]

CLOSING: tuple[Template, ...] = (
    Template(
        key="closing_reflection",
        kind="reflection",
        duration_minutes=10,
        title=t(
            "Closing reflection",
            "Réflexion de clôture",
            "Riflessione conclusiva",
            "Abschließende Reflexion",
            "Reflexión final",
            "Loppupohdinta",
        ),
        summary=t(
            "Each learner reflects on what they learned; teachers read the answers.",
            "Chaque apprenant réfléchit à ce qu'il a appris ; les enseignants lisent les réponses.",
            "Ogni studente riflette su ciò che ha imparato; gli insegnanti leggono le risposte.",
            "Alle reflektieren, was sie gelernt haben; die Lehrkräfte lesen die Antworten.",
            "Cada estudiante reflexiona sobre lo aprendido; los docentes leen las respuestas.",
            "Jokainen pohtii oppimaansa; opettajat lukevat vastaukset.",
        ),
        goals=(
            t(
                "Put the session's experience into words.",
                "Mettre en mots l'expérience de la séance.",
                "Mettere in parole l'esperienza della sessione.",
                "Die Erfahrung der Sitzung in Worte fassen.",
                "Poner en palabras la experiencia de la sesión.",
                "Pukea istunnon kokemus sanoiksi.",
            ),
            t(
                "Give teachers feedback for the next session.",
                "Donner aux enseignants un retour pour la prochaine séance.",
                "Dare agli insegnanti un riscontro per la prossima sessione.",
                "Den Lehrkräften Rückmeldung für die nächste Sitzung geben.",
                "Dar a los docentes una valoración para la próxima sesión.",
                "Antaa opettajille palautetta seuraavaa istuntoa varten.",
            ),
        ),
        steps=(
            t(
                "The teacher closes the session.",
                "L'enseignant clôt la séance.",
                "L'insegnante chiude la sessione.",
                "Die Lehrkraft beendet die Sitzung.",
                "El docente cierra la sesión.",
                "Opettaja päättää istunnon.",
            ),
            t(
                "Each learner who attended answers the questions.",
                "Chaque apprenant présent répond aux questions.",
                "Ogni studente presente risponde alle domande.",
                "Alle, die teilgenommen haben, beantworten die Fragen.",
                "Cada estudiante que asistió responde a las preguntas.",
                "Jokainen osallistunut vastaa kysymyksiin.",
            ),
            t(
                "Teachers read the reflections and plan the next session.",
                "Les enseignants lisent les réflexions et préparent la suite.",
                "Gli insegnanti leggono le riflessioni e preparano la prossima sessione.",
                "Die Lehrkräfte lesen die Reflexionen und planen weiter.",
                "Los docentes leen las reflexiones y preparan la siguiente sesión.",
                "Opettajat lukevat pohdinnat ja suunnittelevat seuraavan istunnon.",
            ),
        ),
        content={"questions": REFLECTION_QUESTIONS},
    ),
)
