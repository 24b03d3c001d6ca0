"""The waist's conveyor: pipeline stages that claim work, record failures and dead letters."""
