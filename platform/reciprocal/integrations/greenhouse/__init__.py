"""Greenhouse's Assessment Partner API, partner side: keys, tests, send, status, callback."""
