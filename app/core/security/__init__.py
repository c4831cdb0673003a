"""Password hashing and tokens: the only modules that touch Argon2 or JOSE."""
