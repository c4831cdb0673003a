"""Host families: profiles, vetting, invitations, matching runs, placements and threads."""
