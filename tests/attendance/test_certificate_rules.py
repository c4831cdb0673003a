"""Certificate signatures: canonical form, sign and verify, tampering, key rotation."""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.attendance.rules.certificates import KEY_LABEL, canonical, certificate_key, sign, verify
from app.core.security.tokens import KeyRing

OLD_SECRET = "old-secret-" + "o" * 40
NEW_SECRET = "new-secret-" + "n" * 40


def payload() -> dict[str, Any]:
    return {
        "version": 1,
        "issuer": "Passerelle",
        "certificate_id": "8d4c0a4e-7d1f-4a53-9a8e-2f7c1b9d0e11",
        "learner": {"id": "0b8f3c1e-2a4d-4f6b-8c9d-1e2f3a4b5c6d", "display_name": "Zoé Œuvray"},
        "exchange_id": "5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d",
        "schools": [{"name": "Lycée de Lyon", "country": "FR"}, {"name": "ITS", "country": "IT"}],
        "countries": ["FR", "IT"],
        "hours": 12.5,
        "seconds": 45000,
        "sessions": 9,
        "first_session": "2027-01-12",
        "last_session": "2027-03-02",
        "issued_at": "2027-03-02T11:05:00Z",
    }


def test_canonical_form_sorts_keys_drops_spaces_and_keeps_utf8() -> None:
    assert (
        canonical({"b": 1, "a": {"d": [1, 2], "c": "é"}})
        == '{"a":{"c":"é","d":[1,2]},"b":1}'.encode()
    )
    # key order and whitespace of the input never matter
    shuffled = json.loads(json.dumps(dict(reversed(list(payload().items()))), indent=2))
    assert canonical(shuffled) == canonical(payload())
    assert "Zoé Œuvray".encode() in canonical(payload())  # not \u00e9 escapes


def test_canonical_form_writes_whole_floats_as_integers() -> None:
    # what a JavaScript client sends back for 10.0 is 10: both are the same certificate
    assert canonical({"hours": 10.0}) == canonical({"hours": 10}) == b'{"hours":10}'
    assert canonical({"hours": 0.83}) == b'{"hours":0.83}'
    assert canonical({"flag": True, "none": None}) == b'{"flag":true,"none":null}'


def test_canonical_form_refuses_nan_and_infinity() -> None:
    for bad in (float("nan"), float("inf")):
        with pytest.raises(ValueError, match="JSON"):
            canonical({"hours": bad})


def test_signature_is_hmac_sha256_of_the_canonical_form_in_base64url() -> None:
    key = certificate_key(NEW_SECRET)
    signature = sign(payload(), key)
    expected = hmac.new(key, canonical(payload()), hashlib.sha256).digest()
    assert signature == base64.urlsafe_b64encode(expected).rstrip(b"=").decode()
    assert len(signature) == 43
    assert "=" not in signature
    assert verify(payload(), signature, key)


def test_the_certificate_key_is_derived_never_the_raw_secret() -> None:
    key = certificate_key(NEW_SECRET)
    assert key == hmac.new(NEW_SECRET.encode(), KEY_LABEL, hashlib.sha256).digest()
    assert key != NEW_SECRET.encode()
    raw = sign(payload(), NEW_SECRET.encode())
    assert not verify(payload(), raw, key)  # a signature with the raw secret is worthless
    assert certificate_key(NEW_SECRET, label=b"something else") != key


@pytest.mark.parametrize(
    "change",
    [
        lambda p: p.update(hours=13.5),
        lambda p: p.update(seconds=p["seconds"] + 1),
        lambda p: p["learner"].update(display_name="Zoe Oeuvray"),
        lambda p: p["countries"].append("DE"),
        lambda p: p.update(extra="field"),
        lambda p: p.pop("issued_at"),
    ],
)
def test_any_change_to_the_payload_breaks_the_signature(change: Any) -> None:
    key = certificate_key(NEW_SECRET)
    signature = sign(payload(), key)
    tampered = copy.deepcopy(payload())
    change(tampered)
    assert not verify(tampered, signature, key)


def test_a_changed_or_malformed_signature_is_refused_without_error() -> None:
    key = certificate_key(NEW_SECRET)
    signature = sign(payload(), key)
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    for bad in (flipped, signature[:-1], "", "é" * 43, signature + "="):
        assert not verify(payload(), bad, key)
    assert not verify({"hours": float("nan")}, signature, key)
    assert not verify(payload(), signature, certificate_key(OLD_SECRET))


def test_rotation_keeps_old_certificates_verifiable_while_the_old_key_is_kept() -> None:
    before = KeyRing.from_secrets([OLD_SECRET], issuer="i", audience="a")
    old_kid = before.current_kid
    signature = sign(payload(), certificate_key(before.keys[old_kid]))

    rotated = KeyRing.from_secrets([NEW_SECRET, OLD_SECRET], issuer="i", audience="a")
    assert rotated.current_kid != old_kid
    assert verify(payload(), signature, certificate_key(rotated.keys[old_kid]))
    # new certificates are signed with the new key, which does not verify the old ones
    assert not verify(payload(), signature, certificate_key(rotated.keys[rotated.current_kid]))

    retired = KeyRing.from_secrets([NEW_SECRET], issuer="i", audience="a")
    assert old_kid not in retired.keys  # the old key dropped: nothing left to verify with


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(st.dictionaries(st.text(), json_values, max_size=6))
def test_a_payload_verifies_after_a_json_round_trip(data: dict[str, Any]) -> None:
    key = certificate_key(NEW_SECRET)
    signature = sign(data, key)
    assert verify(json.loads(json.dumps(data)), signature, key)
    assert verify(json.loads(canonical(data)), signature, key)
