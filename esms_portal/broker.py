"""Kombu's Redis transport, made to survive a Redis restart (issue #3's fault test found it).

When the connection drops, Celery closes the channel and kombu tries to put the worker's unacked
messages back in Redis through that closed connection; in kombu 5.7 this raises an AttributeError
(no connection info) that Celery treats as unrecoverable: the worker process exits. Our durable
state is the ScheduledStep table, not the broker: a message lost with the connection is brought back
by its step's lease, and Redis itself re-queues what it still holds after its visibility timeout.
So a restore that cannot reach Redis is logged and skipped, and the consumer reconnects.
"""

import logging

from kombu.transport import redis

logger = logging.getLogger(__name__)


class QoS(redis.QoS):
    def restore_unacked_once(self, stderr=None):
        try:
            return super().restore_unacked_once(stderr)
        except (AttributeError, *redis.Transport.connection_errors) as error:
            logger.warning("broker unreachable: %d unacked message(s) left to their steps' leases (%r)",
                           len(self._delivered), error)
            self._delivered.clear()


class Channel(redis.Channel):
    QoS = QoS


class Transport(redis.Transport):
    Channel = Channel
