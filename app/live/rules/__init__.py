"""Pure live-room rules: breakout groups, the room's open window."""
