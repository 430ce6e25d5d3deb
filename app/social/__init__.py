"""What all tools share: comments (with questions and answers), likes and follows."""
