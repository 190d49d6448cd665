"""Every command: the core commands, the route and guide commands packs name, the
interview.
"""
