"""Administration: people and roles (later also guidelines, moderation, insights)."""
