"""The ``secnews`` command line; each sub-command is a thin face over a library function."""
