"""Routing: merging and compiling flows, deciding a route, the questions that still matter,
and the flow graph. No click here.
"""
