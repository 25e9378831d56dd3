"""Integrations with applicant tracking systems that call Reciprocal as a partner."""
