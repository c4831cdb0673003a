"""Pure rules of badges: criteria and the Open Badges 3.0 credential."""
