"""Checking the links a site cites: dead sources, their archived copies."""
