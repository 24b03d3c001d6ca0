"""Accountability: KPIs per department and period, objectives, budgets, dashboards and reports."""
