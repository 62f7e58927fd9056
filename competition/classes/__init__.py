"""A teacher's classes and pupils: forms, operations and views."""
