"""Categories the guard uses: OWASP LLM Top 10 ids with their year, MITRE ATLAS
technique ids (validated against ATLAS v5.6.0 by a test), and NIST AI 600-1
risk names for safety harms that the OWASP list does not name."""

from __future__ import annotations

OWASP_2025 = {
    "LLM01:2025": "Prompt Injection",
    "LLM02:2025": "Sensitive Information Disclosure",
    "LLM03:2025": "Supply Chain",  # ATR's skill-compromise rules
    "LLM04:2025": "Data and Model Poisoning",  # ATR's data-poisoning rules
    "LLM05:2025": "Improper Output Handling",
    "LLM06:2025": "Excessive Agency",
    "LLM07:2025": "System Prompt Leakage",
    "LLM09:2025": "Misinformation",
    "LLM10:2025": "Unbounded Consumption",
}
AI_600_1 = {
    "AI600-1:dangerous-violent-hateful": "Dangerous, Violent, or Hateful Content",
    "AI600-1:obscene-degrading-abusive": "Obscene, Degrading, and/or Abusive Content",
    "AI600-1:human-ai-configuration": "Human-AI Configuration",
}
CATEGORIES = {**OWASP_2025, **AI_600_1}
ATLAS_USED = {
    "AML.T0051.000": "LLM Prompt Injection: Direct",
    "AML.T0051.001": "LLM Prompt Injection: Indirect",
    "AML.T0054": "LLM Jailbreak",
    "AML.T0056": "Extract LLM System Prompt",
    "AML.T0068": "LLM Prompt Obfuscation",
    "AML.T0073": "Impersonation",
    "AML.T0052": "Phishing",
    "AML.T0057": "LLM Data Leakage",
    "AML.T0077": "LLM Response Rendering",
    "AML.T0048.003": "External Harms: User Harm",
}
