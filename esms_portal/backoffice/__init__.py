"""The agents' back office over every declared request type: the case index (`cases`), the queue
(`queue`), assignment, labels and private notes (`services`), exports (`exports`), pages (`views`)
and API (`api`). Nothing here is ever shown to an organisation."""
