"""Packs: finding installed packs, loading each in isolation (with the validated-content
cache), and merging them into one catalog.
"""
