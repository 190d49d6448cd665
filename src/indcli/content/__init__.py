"""Content: the typed records commands read, the pydantic schema that validates a content
file, and its error messages.
"""
