"""Classes: profiles, teachers, rosters and weekly availability."""
