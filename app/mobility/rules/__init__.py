"""Pure rules of mobility: status transitions, checklists, check-ins, EWP and Europass shapes."""
