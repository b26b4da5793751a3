"""Districts, locating complaints and routing them to departments."""
