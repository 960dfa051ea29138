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


class FreezeError(SomekitError):
    """A version cannot be frozen (nothing to freeze, bad name, or it exists with other content)."""


class PublishError(SomekitError):
    """The version cannot be published (not frozen, tampered, target not ours, no token)."""


class EvalError(SomekitError):
    """Gold or prediction files cannot be read or paired, or the judge is unavailable."""


class PersonaError(SomekitError):
    """A persona dataset cannot be built or cleaned as asked (missing salt, unfinished takedown)."""


class MissingDependency(SomekitError):
    """An optional component's package is not installed; the message names the extra that installs it."""
