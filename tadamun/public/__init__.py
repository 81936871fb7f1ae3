"""What readers may see of a statement, read in one place: the statement itself, its demands
with their updates, its strike days, its counts and figures, and its public lists. The
statement page, the exports, the API, the badge and card, the feeds, the press kit, the
record's verifier and the organizers' previews all read it here."""
