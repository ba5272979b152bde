# SPDX-License-Identifier: GPL-2.0-or-later
"""Test PKI for the TLS export (python3-cryptography): a CA, the ledger's
certificate (IP SAN 127.0.0.1), router certificates naming their origin,
an expired one, and one from another CA."""
import datetime
import ipaddress
import os

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def _name(cn):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _write(path, key, cert):
    with open(path + ".key", "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM,
                                  serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))
    with open(path + ".crt", "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    return path + ".crt", path + ".key"


class CA:
    def __init__(self, d, name):
        self.dir, self.name = d, name
        self.key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.datetime.now(datetime.timezone.utc)
        self.cert = (x509.CertificateBuilder()
                     .subject_name(_name(name)).issuer_name(_name(name))
                     .public_key(self.key.public_key())
                     .serial_number(x509.random_serial_number())
                     .not_valid_before(now - datetime.timedelta(days=1))
                     .not_valid_after(now + datetime.timedelta(days=30))
                     .add_extension(x509.BasicConstraints(ca=True,
                                                          path_length=None),
                                    critical=True)
                     .sign(self.key, hashes.SHA256()))
        self.crt, _ = _write(os.path.join(d, name), self.key, self.cert)

    def issue(self, fname, cn, dns=(), ips=(), expired=False):
        key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.datetime.now(datetime.timezone.utc)
        if expired:
            nb, na = now - datetime.timedelta(days=10), \
                now - datetime.timedelta(days=1)
        else:
            nb, na = now - datetime.timedelta(days=1), \
                now + datetime.timedelta(days=30)
        sans = [x509.DNSName(n) for n in dns] + \
            [x509.IPAddress(ipaddress.ip_address(i)) for i in ips]
        b = (x509.CertificateBuilder().subject_name(_name(cn))
             .issuer_name(self.cert.subject).public_key(key.public_key())
             .serial_number(x509.random_serial_number())
             .not_valid_before(nb).not_valid_after(na))
        if sans:
            b = b.add_extension(x509.SubjectAlternativeName(sans),
                                critical=False)
        cert = b.sign(self.key, hashes.SHA256())
        return _write(os.path.join(self.dir, fname), key, cert)
