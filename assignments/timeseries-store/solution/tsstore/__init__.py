"""An in-memory time-series store for sensor readings."""

from tsstore.series import Bucket, Series
from tsstore.store import Store

__all__ = ["Bucket", "Series", "Store"]
