"""recruitwatch: the licence register, complaints, flags, HTTP API, pages and CLI."""

import os

# Piccolo finds its engine through this module; it must be known before any table is queried.
os.environ.setdefault("PICCOLO_CONF", "registry.piccolo_conf")
