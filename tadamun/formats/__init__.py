"""Date and number formats per language where Django formats them (FORMAT_MODULE_PATH)."""
