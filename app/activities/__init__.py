"""Intercultural activities: the library of templates, session plans, the results the live
room's activities produce, reflections and self-assessments (docs/activities.md)."""
