"""Messages, notifications and decision attestations on every instructed request."""
