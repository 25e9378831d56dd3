"""The domain: all logic lives here. Services flush; views, CLI commands and jobs commit."""
