"""Package data looked up by name, so every caller (and a PyInstaller bundle) finds files the same way."""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable

RESOURCES = {
    "digits": "digits.npz",  # UCI optdigits via scikit-learn, CC BY 4.0
    "icon-svg": "icons/weightstudio.svg",
}


def resource(name: str) -> Traversable:
    """The packaged file called `name`; raises KeyError for a name that is not a known resource."""
    try:
        rel = RESOURCES[name]
    except KeyError:
        raise KeyError(f"unknown resource '{name}' (known: {', '.join(RESOURCES)})") from None
    return files("weightstudio").joinpath("resources", *rel.split("/"))
