"""HTTP and WebSocket adapters: parse, authorise through dependencies, call a service."""
