"""Kontor's analytics warehouse: the raw tables, a seed dataset, and the SQL in sql/."""
