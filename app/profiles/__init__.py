"""Profiles and the skills directory: skills, languages, trainings, projects, endorsements."""
