"""Who scores what: the pure assignment (assign.py, with flow, instance, linking, feasibility, preference),
and service.py, which loads a round, runs it and stores the assignments."""
