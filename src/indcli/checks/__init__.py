"""Checks for pack authors: flows, citations and basis, quotes against the source page, and
what a pack changes for existing scripts.
"""
