"""Build backend of pyproject.toml: OCA's whool, under the add-on's name.

whool names the package after the directory it builds in (``odoo-addon-<folder>``).
A clone of this repository may be called anything, and ``pip install git+URL`` builds in
a temporary directory with a random name, so this backend hands whool the clone through
a link called ``crm_action``. Everything else (metadata from ``__manifest__.py``, the
files under git control, the version) is whool's.
"""

import tempfile
from contextlib import contextmanager
from pathlib import Path

from whool import buildapi

ADDON_NAME = "crm_action"


@contextmanager
def _addon_dir():
    source = Path.cwd()
    if source.name == ADDON_NAME:
        yield source
        return
    with tempfile.TemporaryDirectory() as tmp:
        link = Path(tmp) / ADDON_NAME
        link.symlink_to(source, target_is_directory=True)
        yield link


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    with _addon_dir() as addon_dir:
        return buildapi._build_wheel(addon_dir, Path(wheel_directory), editable=False)


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    # The editable wheel points Odoo at the clone itself (through whool's build/ link).
    return buildapi._build_wheel(_named_clone_link(), Path(wheel_directory), editable=True)


def build_sdist(sdist_directory, config_settings=None):
    with _addon_dir() as addon_dir:
        return buildapi._build_sdist(addon_dir, Path(sdist_directory))


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    with _addon_dir() as addon_dir:
        metadata = buildapi._get_metadata(addon_dir)
    return buildapi._make_dist_info(metadata, Path(metadata_directory))


prepare_metadata_for_build_editable = prepare_metadata_for_build_wheel


def _named_clone_link():
    """A lasting link called crm_action to the clone (an editable install keeps using it)."""
    source = Path.cwd()
    if source.name == ADDON_NAME:
        return source
    link_dir = source / "build" / "__addon__"
    link_dir.mkdir(parents=True, exist_ok=True)
    (source / "build" / ".gitignore").write_text("*")
    link = link_dir / ADDON_NAME
    if not link.is_symlink():
        link.symlink_to(source, target_is_directory=True)
    return link
