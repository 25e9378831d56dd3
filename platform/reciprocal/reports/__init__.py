"""Reports over the whole hiring process: the team's funnel (funnel.py, with its scores and
agreement in scores.py) and the public reciprocity report a company may link from its careers
page (public.py). Read-only: every figure is computed from facts other domains keep."""
