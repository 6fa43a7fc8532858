"""Handing a generated key over: once, and written in the certificate's history."""

import pytest

from certificates import services
from esms_portal import pki as igc
from esms_portal.core.errors import StateConflict


def _generated(dave, alpha):
    return services.certificate_order(actor=dave, organisation=alpha, profile=igc.Profile.ORG_SIGN,
                                      software_name="DUI Alpha", passphrase="ma phrase de passe secrète")


def test_taking_the_pkcs12_is_in_the_history(f413_accepted, dave, alpha):
    generated = _generated(dave, alpha)
    services.certificate_take_pkcs12(actor=dave, order=generated)
    entry = generated.audit_trail().last()
    assert (entry.act, entry.actor, entry.from_state, entry.to_state) == ("take_pkcs12", dave, "issued", "issued")
    assert entry.act_label == "Retrait de la clé (PKCS#12)"


def test_a_refused_second_take_writes_nothing(f413_accepted, dave, alpha):
    generated = _generated(dave, alpha)
    services.certificate_take_pkcs12(actor=dave, order=generated)
    with pytest.raises(StateConflict):
        services.certificate_take_pkcs12(actor=dave, order=generated)
    assert generated.audit_trail().filter(act="take_pkcs12").count() == 1
