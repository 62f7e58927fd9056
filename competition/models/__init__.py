"""Competition tables, one file per small family."""
from .edition import AgeGroup, Category, Discipline, Edition
from .entry import Entry, EntryAuthor, EntryFile, EntryStatus, FilePurpose
from .material import Material  # noqa: F401
from .places import City, CityCoordinator, School, coordinated_city_ids
from .school_class import Pupil, SchoolClass

__all__ = [
    "AgeGroup", "Category", "City", "CityCoordinator", "Discipline", "Edition", "Entry", "EntryAuthor", "EntryFile",
    "EntryStatus", "FilePurpose", "Pupil", "School", "SchoolClass", "coordinated_city_ids",
]
