from django.tasks import task

from archive.search.indexing import process_pending


@task()
def process_index_updates(testimony_ids: list[int]) -> None:
    """Apply the queued index updates of these testimonies (failures stay queued)."""
    process_pending(testimony_ids)
