"""Exit statuses of ``python -m service``, kept apart so the supervisor need not import the app."""

#: A configuration refused before start-up (for example a public address without API keys).
CONFIG_ERROR_EXIT_CODE = 2
#: The catalogue or the model failed to load. uvicorn's worker supervisor treats 3 as "the app
#: could not start" and stops instead of restarting a worker that would fail the same way.
STARTUP_FAILURE_EXIT_CODE = 3
