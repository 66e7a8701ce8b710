"""Workspaces: one store per brand, so an agency's clients (and a brand's demo and real data) never mix.

The demo brand is the default store ($CREATORLIFT_DB, else data/creatorlift.duckdb), filled with the bundled sample
on first open. Every other workspace is a store beside it, listed in `workspaces.json` in the same folder with its
name and its own sign-in allow-list. A removed workspace stays in that list, marked removed, and its store stays
where it was: nothing is deleted, and restoring it lists it again.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import threading
import unicodedata
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from analytics.store.database import default_db_path

DEMO_SLUG = "demo"
DEMO_NAME = "Demo brand (sample data)"
REGISTRY_FILE = "workspaces.json"
_REGISTRY_LOCK = threading.Lock()


class WorkspaceError(Exception):
    """A workspace that cannot be found or created, with a sentence for the person who asked."""


@dataclass(frozen=True)
class Workspace:
    slug: str
    name: str
    path: Path
    # Who may open it when sign-in is on: addresses or "@domain"; empty = everyone the app admits.
    allowed_emails: tuple[str, ...] = ()
    # False for the default store holding a brand's own data rather than the sample: a backup opened with
    # $CREATORLIFT_DB (what it holds is read from the store, `changes.is_demo`).
    holds_sample: bool = True

    @property
    def is_default(self) -> bool:
        """The default store: filled with the sample data when it is first created."""
        return self.slug == DEMO_SLUG

    @property
    def is_demo(self) -> bool:
        return self.is_default and self.holds_sample


def as_held(workspace: Workspace, holds_sample: bool) -> Workspace:
    """The workspace named for what its store holds: the default store holding a brand's own data (a backup opened
    with $CREATORLIFT_DB) is named for its file and treated as any brand's, not as the demo."""
    if not workspace.is_default or holds_sample:
        return workspace
    return replace(workspace, name=workspace.path.stem, holds_sample=False)


def plain_letters(text: str) -> str:
    """`text` in the letters every system takes: accents dropped from their letters ("Café Olé" as "Cafe Ole"),
    other characters left out."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def slug_of(name: str) -> str:
    """The workspace's id in URLs, file names and the CLI: lowercase letters, digits and dashes ("L'Oréal Paris" is
    l-oreal-paris). A name in another script than Latin ("日本ブランド") gets an id made from it: brand-1a2b3c4d."""
    slug = re.sub(r"[^a-z0-9]+", "-", plain_letters(name).lower()).strip("-")[:60].strip("-")
    if not slug and any(character.isalnum() for character in name):
        slug = "brand-" + hashlib.sha256(" ".join(name.split()).casefold().encode()).hexdigest()[:8]
    return slug


def _registry(demo_path: Path) -> Path:
    return demo_path.parent / REGISTRY_FILE


def _read_registry(demo_path: Path) -> list[dict[str, object]]:
    path = _registry(demo_path)
    if not path.exists():
        return []
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise WorkspaceError(f"{path} is not a readable list of workspaces; restore it from a backup.") from None
    return [e for e in entries if isinstance(e, dict) and e.get("slug") and e.get("name")]


def _write_registry(demo_path: Path, entries: list[dict[str, object]]) -> None:
    """Written whole under a temporary name and renamed: a crash leaves the old list or the new, never half."""
    demo_path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=demo_path.parent, prefix=".workspaces-", suffix=".json")
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        json.dump(entries, file, indent=2)
        file.flush()
        os.fsync(file.fileno())
    os.replace(temporary, _registry(demo_path))


def _as_workspace(demo: Path, entry: dict[str, object]) -> Workspace:
    return Workspace(
        str(entry["slug"]),
        str(entry["name"]),
        demo.parent / f"{entry['slug']}.duckdb",
        tuple(str(e) for e in entry.get("allowed_emails") or ()),  # type: ignore[attr-defined]
    )


def list_workspaces(demo_path: Path | None = None) -> list[Workspace]:
    """The demo brand first, then every other workspace not removed, by name."""
    demo = Path(demo_path or default_db_path())
    others = [_as_workspace(demo, entry) for entry in _read_registry(demo) if not entry.get("removed_at")]
    return [Workspace(DEMO_SLUG, DEMO_NAME, demo), *sorted(others, key=lambda w: w.name.casefold())]


def removed_workspaces(demo_path: Path | None = None) -> list[tuple[Workspace, str]]:
    """The workspaces removed from the list, each with when (UTC, ISO), latest first."""
    demo = Path(demo_path or default_db_path())
    removed = [(_as_workspace(demo, e), str(e["removed_at"])) for e in _read_registry(demo) if e.get("removed_at")]
    return sorted(removed, key=lambda pair: pair[1], reverse=True)


def _marked(wanted: str, demo_path: Path | None, removed: bool) -> Workspace:
    """Mark the workspace named `wanted` (slug or name, ignoring case) removed, or no longer removed."""
    demo = Path(demo_path or default_db_path())
    with _REGISTRY_LOCK:
        entries = _read_registry(demo)
        wanted_key = " ".join(wanted.split()).casefold()
        found = [
            e
            for e in entries
            if wanted_key in (str(e["slug"]), str(e["name"]).casefold()) and bool(e.get("removed_at")) != removed
        ]
        if not found:
            if wanted_key in (DEMO_SLUG, DEMO_NAME.casefold()):
                raise WorkspaceError("The demo brand cannot be removed: it is where the sample data lives.")
            listed = [e for e in entries if bool(e.get("removed_at")) != removed]
            names = ", ".join(f"{e['name']} ({e['slug']})" for e in listed) or "none"
            which = "workspaces listed" if removed else "removed workspaces"
            raise WorkspaceError(
                f"There is no workspace {wanted!r} to {'remove' if removed else 'restore'}; the {which} are: {names}."
            )
        entry = found[0]
        if removed:
            entry["removed_at"] = datetime.now(UTC).isoformat(timespec="seconds")
        else:
            entry.pop("removed_at", None)
        _write_registry(demo, entries)
    return _as_workspace(demo, entry)


def remove_workspace(wanted: str, demo_path: Path | None = None) -> Workspace:
    """Take the workspace named `wanted` off the list (a brand made by mistake, or one the agency no longer serves).
    Its store and kept files stay where they are, so `restore_workspace` brings it back whole; the caller closes any
    connection it holds on the store."""
    return _marked(wanted, demo_path, removed=True)


def restore_workspace(wanted: str, demo_path: Path | None = None) -> Workspace:
    """List a removed workspace again, with everything its store held."""
    return _marked(wanted, demo_path, removed=False)


def find_workspace(wanted: str, demo_path: Path | None = None) -> Workspace:
    """The workspace whose slug or name is `wanted` (ignoring case)."""
    workspaces = list_workspaces(demo_path)
    for workspace in workspaces:
        if wanted.strip().casefold() in (workspace.slug, workspace.name.casefold()):
            return workspace
    names = ", ".join(f"{w.name} ({w.slug})" for w in workspaces)
    raise WorkspaceError(f"There is no workspace {wanted!r}; the workspaces are: {names}.")


def create_workspace(name: str, demo_path: Path | None = None, allowed_emails: tuple[str, ...] = ()) -> Workspace:
    """A new, empty workspace named `name` (its store is created when first opened)."""
    demo = Path(demo_path or default_db_path())
    name = " ".join(name.split())
    slug = slug_of(name)
    if not slug:
        raise WorkspaceError("Give the brand a name with at least one letter or digit.")
    with _REGISTRY_LOCK:
        entries = _read_registry(demo)
        taken = {existing.casefold(): existing for existing in (DEMO_NAME, *(str(e["name"]) for e in entries))}
        if name.casefold() in taken:
            # Named as it is listed: "bolt pets" typed is the brand "Bolt Pets" already there.
            removed = any(str(e["name"]).casefold() == name.casefold() and e.get("removed_at") for e in entries)
            if removed:  # its store is still there, under the id this name would take
                raise WorkspaceError(
                    f"A removed workspace is called {taken[name.casefold()]!r}: restore it with python3 -m analytics "
                    f"workspaces restore {slug}, or choose another name."
                )
            raise WorkspaceError(f"A workspace called {taken[name.casefold()]!r} already exists; choose another name.")
        # Each brand's store is a file named by its id beside the default store: an id the default store's file
        # already has would open the demo's data as the brand's.
        owners = {DEMO_SLUG: DEMO_NAME, demo.stem: DEMO_NAME} | {
            str(e["slug"]): str(e["name"]) + (" (removed)" if e.get("removed_at") else "") for e in entries
        }
        if slug in owners:
            raise WorkspaceError(
                f"{name!r} is too close to the workspace {owners[slug]!r}: both would be {slug!r} in links and file "
                "names. Choose another name."
            )
        entries.append({"slug": slug, "name": name, "allowed_emails": list(allowed_emails)})
        _write_registry(demo, entries)
    return Workspace(slug, name, demo.parent / f"{slug}.duckdb", allowed_emails)
