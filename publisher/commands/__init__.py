"""One module per command: its arguments, and the wiring of library calls."""
