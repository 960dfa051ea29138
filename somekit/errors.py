"""Domain errors. The CLI maps every SomekitError to a clear message and exit code 1."""


class SomekitError(Exception):
    """Base of errors a user can act on (bad input, bad config, missing service)."""


class ConfigError(SomekitError):
    """somekit.toml is missing or invalid."""


class WorkspaceError(SomekitError):
    """The workspace is missing or in an unexpected state."""


class IngestError(SomekitError):
    """Input could not be ingested (or --strict met a bad record)."""


class AwaitingReview(SomekitError):
    """Items wait for people in Label Studio: `somekit run` stops here (exit 3); run again to pull."""

    exit_code = 3
