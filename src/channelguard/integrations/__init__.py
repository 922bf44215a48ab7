"""Adapters that put channelguard where agents run: the OpenAI Agents SDK
(`openai_agents`), MCP (`mcp_server`, the `channelguard mcp` command), LangChain
and LangGraph (`langchain`), and OCSF events for a SIEM (`ocsf`).

Each framework is an optional extra, imported only when its adapter is used; a
missing one raises DependencyError naming the `pip install`. Every call into
channelguard goes through `core`, the one module that knows its API.
"""
