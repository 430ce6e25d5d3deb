"""Usage guidelines: a wiki page administrators publish as the organisation's guidelines,
which every colleague accepts (again after each new version) before using Kollegium."""
