"""The apps depend one way (README, "Layout"): each app under archive/ imports only the apps
listed before it in INSTALLED_APPS, and archive/lib, which imports none. Every import counts,
deferred and type-only ones too: a cycle hidden in a function is still a cycle."""

import ast
from pathlib import Path

from django.conf import settings

ARCHIVE = Path(__file__).resolve().parent.parent / "archive"

# Bottom first: lib, then the project's apps in the order INSTALLED_APPS lists them.
LAYERS = ["lib"] + [
    app.removeprefix("archive.") for app in settings.INSTALLED_APPS if app.startswith("archive.")
]


def imported_apps(path: Path) -> set[tuple[str, int]]:
    """(app, line) of every `archive.<app>` this module imports."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules = [node.module]
        else:
            continue
        for module in modules:
            parts = module.split(".")
            if parts[0] == "archive" and len(parts) > 1 and parts[1] in LAYERS:
                found.add((parts[1], node.lineno))
    return found


def upward_imports(root: Path = ARCHIVE) -> list[str]:
    wrong = []
    for app in LAYERS:
        for path in sorted((root / app).rglob("*.py")):
            for imported, line in sorted(imported_apps(path)):
                if LAYERS.index(imported) > LAYERS.index(app):
                    wrong.append(f"{path.relative_to(root.parent)}:{line} imports {imported}")
    return wrong


def test_every_app_is_a_layer():
    apps = {path.name for path in ARCHIVE.iterdir() if (path / "apps.py").exists()}
    assert apps == set(LAYERS) - {"lib"}


def test_no_app_imports_an_app_above_it():
    assert upward_imports() == []


def test_it_sees_an_import_that_goes_up(tmp_path):
    """The check itself: a deferred import of a higher app inside a lower one is caught,
    one of a lower app is not."""
    (tmp_path / "archive" / "lib").mkdir(parents=True)
    (tmp_path / "archive" / "lib" / "probe.py").write_text(
        "from archive.lib import env\n\n\ndef f():\n    from archive.publishing import services\n"
    )
    (tmp_path / "archive" / "publishing").mkdir()
    (tmp_path / "archive" / "publishing" / "probe.py").write_text("import archive.audit.log\n")
    assert upward_imports(tmp_path / "archive") == ["archive/lib/probe.py:5 imports publishing"]
