"""Creator Lift's engine: the store, the importer, the metrics and rank lift, shared by the app and the CLI."""
