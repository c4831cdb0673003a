"""Host matching, pure: filters, scores, the assignment model and its explanations."""
