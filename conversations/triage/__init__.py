"""Triage decision core: pure functions and dataclasses, no database.

`heuristic.classify(TriageInput) -> Decision` is the default provider; `llm.OpenAICompatibleProvider`
asks a Chat Completions endpoint and falls back to the heuristic. The database pipeline (eligibility
rules that need the account, the opt-out register, templates and the outbound guardrail check) builds
on these types and on the reason codes in `reasons`.
"""
