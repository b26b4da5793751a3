"""City packs: a folder `cities/<slug>/` describing a city, read, validated, imported, exported."""

from cps.cities.packs.errors import PackError
from cps.cities.packs.reader import Pack, read_pack

__all__ = ["Pack", "PackError", "read_pack"]
