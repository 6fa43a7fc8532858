"""Messages, notifications and decision attestations on every instructed request."""


def unread_counts_for_agents(case_refs: list[str]) -> dict[str, int]:
    """The agents' unread messages per case ref `"<type_key>:<pk>"` (one query; 0 when none): what the
    organisation wrote that no agent opened yet. For the back office's queue."""
    from esms_portal.dialogue.selectors import unread_counts_for_agents as counts

    return counts(case_refs)
