"""What SQLite needs so that an erasure leaves no words in the database files.

By default SQLite only marks deleted rows free, and their bytes stay in the file until the
space is reused; in WAL mode every page ever written also stays in the -wal file until it is
overwritten. `secure_delete` makes SQLite overwrite deleted content with zeros (Debian
builds it on, SQLite's own default is off), and a TRUNCATE checkpoint after an erasure
copies the zeroed pages into the database and empties the -wal file. PostgreSQL keeps dead
rows until VACUUM: the README ("Erasure") says what an operator does about them.
"""

from typing import Any

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

CHECKPOINT_WAIT_MS = 2000


def turn_on_secure_delete(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """connection_created receiver: on every new SQLite connection, whatever the build's
    default and whichever way the database was configured (settings or DATABASE_URL)."""
    if connection.vendor == "sqlite":
        connection.connection.execute("PRAGMA secure_delete = ON")


def flush_erased_pages(using: str = "default") -> None:
    """After an erasure has committed: write the zeroed pages into the database file and
    empty the -wal file, which still holds the pages as they were before. If a reader holds
    an old snapshot the checkpoint stops short; the next one (SQLite runs them as the -wal
    grows, and when the last connection closes) finishes the job."""
    connection = connections[using]
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            # The checkpoint holds the write lock while it waits for readers: wait briefly,
            # not the connection's whole timeout, so other requests' writes are not held up.
            cursor.execute("PRAGMA busy_timeout")
            (usual,) = cursor.fetchone()
            cursor.execute(f"PRAGMA busy_timeout = {CHECKPOINT_WAIT_MS}")
            try:
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                cursor.execute(f"PRAGMA busy_timeout = {int(usual)}")
