"""Form widgets for private files."""

from dataclasses import dataclass
from typing import Any

from django import forms


@dataclass(frozen=True)
class ServedFile:
    """What ClearableFileInput's template shows for a stored file: a label and a link."""

    label: str
    url: str

    def __str__(self) -> str:
        return self.label


class ServedFileInput(forms.ClearableFileInput):
    """A file input that links a stored file to the view serving it, which checks access
    and logs it, never to the storage's own URL (none for private local files; on S3 a
    presigned link handed out without either)."""

    def __init__(self, *, url: str, label: str, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.served = ServedFile(label=label, url=url)

    def is_initial(self, value: Any) -> bool:
        return bool(value)

    def format_value(self, value: Any) -> Any:
        return self.served if self.is_initial(value) else None
