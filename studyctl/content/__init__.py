"""Content: YAML decks, roadmaps and lab manifests loaded into plain dataclasses.

Every problem is reported as an Issue naming file:line and what was expected; nothing here
touches the database.
"""
