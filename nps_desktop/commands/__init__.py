"""One module per subcommand; each defines ``register(subparsers, common)`` (see ``nps_desktop.cli``)."""
