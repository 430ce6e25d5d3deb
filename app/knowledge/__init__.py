"""From conversation to knowledge: an answered question (or a stream thread) becomes a wiki
FAQ page in one step, and the conversation links to the page."""
