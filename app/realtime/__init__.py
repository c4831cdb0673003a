"""Live rooms: protocol, hub and the broker that fans events out across processes."""
