"""Business rules, once: every entry point (HTTP, pages, CLI, jobs) calls these."""
