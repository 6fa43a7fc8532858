"""Where other parts of the kernel plug into the queue. The agents' messages (esms_portal.dialogue)
answer `unread_counts`; until they are wired, no case has unread messages."""


def unread_counts(agent, case_refs) -> dict[str, int]:
    """The number of messages `agent` has not read, per case reference (« <type_key>:<pk> »), in a
    constant number of queries; cases without any may be left out."""
    return {}
