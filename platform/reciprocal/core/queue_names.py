"""The RQ queues, named by purpose."""

GRADING = "grading"
MAIL = "mail"
WEBHOOKS = "webhooks"
MAINTENANCE = "maintenance"
SIMILARITY = "similarity"
QUEUE_NAMES = (GRADING, MAIL, WEBHOOKS, MAINTENANCE, SIMILARITY)
