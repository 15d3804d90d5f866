"""The feedback loop: what coders accept, reject and add, stored so none of it is lost.

:class:`FeedbackStore` owns the database (SQLite or PostgreSQL, migrated by Alembic at start);
:data:`router` exposes it as ``POST /v1/feedback`` and ``GET /v1/feedback/stats``.
"""

from service.feedback.routes import FeedbackStoreDep, get_feedback_store, router
from service.feedback.schemas import FeedbackCreated, FeedbackIn, FeedbackStats
from service.feedback.store import FeedbackStore, FeedbackUnavailableError, StoredReview

__all__ = [
    "FeedbackCreated",
    "FeedbackIn",
    "FeedbackStats",
    "FeedbackStore",
    "FeedbackStoreDep",
    "FeedbackUnavailableError",
    "StoredReview",
    "get_feedback_store",
    "router",
]
