"""Schemathesis hooks: values for the formats the OpenAPI document names but JSON Schema cannot express.

`tron-address` is base58check: the pattern gives its shape, and without this hook nearly every string the
pattern allows would fail the checksum, so "schema-valid" requests would be refused for a reason the schema
does not state. Loaded by .ci/contract-test.sh through SCHEMATHESIS_HOOKS.
"""
import hashlib
import json
import os

import schemathesis
from hypothesis import strategies as st

ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def base58check(payload: bytes) -> str:
    data = payload + hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
    number = int.from_bytes(data, "big")
    text = ""
    while number:
        number, rest = divmod(number, 58)
        text = ALPHABET[rest] + text
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + text


# A TRON address: 0x41 and a 20-byte account id.
schemathesis.openapi.format(
    "tron-address", st.binary(min_size=20, max_size=20).map(lambda body: base58check(b"\x41" + body))
)

# secp256k1 private keys: 32 bytes between 1 and the curve order - 1 (the pattern allows 0 and larger values).
CURVE_ORDER = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
schemathesis.openapi.format(
    "secp256k1-private-key",
    st.integers(min_value=1, max_value=CURVE_ORDER - 1).map(lambda key: f"{key:064x}"),
)

# The paying wallet: the label of the wallet every service starts with (an unknown one is refused, which
# the pattern cannot say).
schemathesis.openapi.format("hot-wallet", st.just("default"))

# One of our hot wallets by address (POST /wallets/:address/disable and /enable refuse any other): the
# addresses the started service wrote beside its URL (CONTRACT_SERVICE_FILE, set by .ci/contract-test.sh).
def _hot_wallet_addresses() -> list:
    path = os.environ.get("CONTRACT_SERVICE_FILE")
    if not path:
        return []
    with open(path, encoding="utf-8") as handle:
        return json.load(handle).get("hotWallets", [])


_HOT_WALLETS = _hot_wallet_addresses()
if _HOT_WALLETS:
    schemathesis.openapi.format("hot-wallet-address", st.sampled_from(_HOT_WALLETS))


# IP allow-list entries: addresses or CIDRs, IPv4 and IPv6, some of which cover the test run's loopback.
schemathesis.openapi.format(
    "ip-or-cidr",
    st.sampled_from(["127.0.0.1", "127.0.0.0/8", "10.0.0.0/8", "192.168.1.10", "::1", "2001:db8::/32"]),
)
