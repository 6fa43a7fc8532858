"""The Redis transport's restore of unacked messages through a connection already gone (kombu 5.7:
AttributeError, which Celery treats as unrecoverable and the worker exits; seen in the fault test
"Redis restarted mid-run"). The steps' leases bring those messages' work back."""

from kombu import Connection

from esms_portal import broker


def test_a_restore_through_a_closed_connection_is_skipped_not_fatal(caplog):
    connection = Connection("redis://127.0.0.1:1/0", transport=broker.Transport)
    channel = broker.Channel.__new__(broker.Channel)  # no connect: the broker is gone
    channel.do_restore = True
    qos = broker.QoS(channel)
    qos._delivered["tag"] = object()

    def gone(*args, **kwargs):
        raise AttributeError("'NoneType' object has no attribute 'hostname'")

    qos.restore_unacked = gone
    qos.restore_unacked_once()
    assert not qos._delivered
    assert "left to their steps' leases" in caplog.text
    connection.release()


def test_celery_uses_it_for_redis(settings):
    from esms_portal.celery import app

    if app.conf.broker_url.startswith("redis://"):
        assert app.conf.broker_transport == "esms_portal.broker:Transport"
    else:
        assert app.conf.broker_transport != "esms_portal.broker:Transport"
