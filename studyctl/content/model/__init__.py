"""Plain dataclasses for content, one module per kind so each command imports only its own."""
