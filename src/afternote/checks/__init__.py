"""Checks: findings for the clinician before signing (pure functions over the drafted note)."""
