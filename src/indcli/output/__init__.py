"""Output: the document model, text and markdown, wrapping and the terminal, the
route/topic/guide payloads, JSON Schemas.
"""
