"""The operating-model simulator: replay traffic through each of the six models with a staffing, by
discrete-event simulation (SimPy) — pure: no database, bus or web code."""
