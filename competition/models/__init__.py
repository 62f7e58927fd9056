"""Competition tables, one file per small family."""
from .edition import AgeGroup, Category, Discipline, Edition
from .entry import Entry, EntryAuthor, EntryFile, EntryStatus, FilePurpose
from .material import Material  # noqa: F401
from .places import City, School
from .school_class import Pupil, SchoolClass

__all__ = [
    "AgeGroup", "Category", "City", "Discipline", "Edition", "Entry", "EntryAuthor", "EntryFile",
    "EntryStatus", "FilePurpose", "Pupil", "School", "SchoolClass",
]
