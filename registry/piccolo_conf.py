"""Piccolo's configuration module: the engine comes from ``RECRUITWATCH_DATABASE_URL``.

Piccolo imports this lazily (``PICCOLO_CONF=registry.piccolo_conf``, set by ``registry``), so the URL
must be in the environment before the first query.
"""

from piccolo.conf.apps import AppRegistry

from registry.database import engine_for_url
from registry.settings import get_settings

DB = engine_for_url(get_settings().database_url)

APP_REGISTRY = AppRegistry(apps=["registry.piccolo_app"])
