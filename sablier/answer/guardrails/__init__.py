"""Guardrails: what a draft reply must not say before it is published. Pure text -> findings."""

from sablier.answer.guardrails.check import GuardrailReport, check_reply
from sablier.answer.guardrails.finding import Finding, Severity
from sablier.answer.guardrails.personal_data import find_personal_data
from sablier.answer.guardrails.phrases import NETWORK_LIMITS
from sablier.answer.guardrails.policy import DEFAULT_BANNED, GuardrailPolicy

__all__ = [
    "DEFAULT_BANNED",
    "NETWORK_LIMITS",
    "Finding",
    "GuardrailPolicy",
    "GuardrailReport",
    "Severity",
    "check_reply",
    "find_personal_data",
]
