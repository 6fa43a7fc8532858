"""The ANS agents' instruction workspace: one queue over every instructed request."""
