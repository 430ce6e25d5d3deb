"""Project, department and personal blogs: posts, questions and answers, Atom feeds."""
