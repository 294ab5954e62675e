from django.tasks import task

from archive.search.indexing import process_pending, run_purge


@task()
def process_index_updates(testimony_ids: list[int]) -> None:
    """Apply the queued index updates of these testimonies (failures stay queued)."""
    process_pending(testimony_ids)


@task()
def purge_index_files(purge_id: int) -> None:
    """Remove an erasure's words from the index files (a failure stays outstanding)."""
    run_purge(purge_id)
