"""Editions, their categories, cities, schools, materials and coordinators: the secretariat's pages,
and the public page of the current edition."""
