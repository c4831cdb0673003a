"""The live room: its pure protocol, tickets, membership, commands and what is stored."""
