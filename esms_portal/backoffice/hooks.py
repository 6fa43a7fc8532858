"""What the queue reads from the rest of the kernel: the agents' unread messages (esms_portal.dialogue)."""

from esms_portal.dialogue.selectors import unread_counts_for_agents


def unread_counts(agent, case_refs) -> dict[str, int]:
    """The number of messages the agents have not read, per case reference (« <type_key>:<pk> »), in one
    query; cases without any are left out. Read marks are per side: one agent opening a case reads for all."""
    return unread_counts_for_agents(list(case_refs))
