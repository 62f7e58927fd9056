"""Competition tables, one file per small family."""
from .edition import AgeGroup, Category, Discipline, Edition
from .places import City, School

__all__ = ["AgeGroup", "Category", "City", "Discipline", "Edition", "School"]
