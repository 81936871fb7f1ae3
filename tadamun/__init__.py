"""Tadamun: joint statements, sign-ons and strike days for civil-society coalitions."""
