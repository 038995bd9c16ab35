"""The Piccolo app that owns recruitwatch's tables and migrations."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from registry.tables import ALL_TABLES

APP_CONFIG = AppConfig(
    app_name="registry",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=list(ALL_TABLES),
    migration_dependencies=[],
    commands=[],
)
