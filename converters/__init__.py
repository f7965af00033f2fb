"""Converters: source files in four formats read into one document model and written as MyST."""
