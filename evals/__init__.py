"""Evaluation suite of the Raadsassistent Jeugd (`assistant eval`, `python -m evals.run`)."""
