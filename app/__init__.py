"""Ceasefire Timeline: a day-by-day timeline of the September 2016 Syria ceasefire, from news articles."""
