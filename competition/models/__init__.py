"""Competition tables, one file per small family."""
from competition.models.edition import AgeGroup, Category, Discipline, Edition
from competition.models.entry import Entry, EntryAuthor, EntryFile, EntryStatus, FilePurpose
from competition.models.material import Material  # noqa: F401
from competition.models.places import City, CityCoordinator, School, coordinated_city_ids, coordinators_of
from competition.models.school_class import Pupil, SchoolClass

__all__ = [
    "AgeGroup", "Category", "City", "CityCoordinator", "Discipline", "Edition", "Entry", "EntryAuthor", "EntryFile",
    "EntryStatus", "FilePurpose", "Pupil", "School", "SchoolClass", "coordinated_city_ids", "coordinators_of",
]
