"""E-mail over a real SMTP server: STARTTLS with login, implicit TLS, certificates, errors.

The server is aiosmtpd with a certificate made for the test; the client trusts
it through SSL_CERT_FILE, the way a system CA bundle would, so certificate
checking stays on.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from ipaddress import IPv4Address
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from core.config import Config, load_config
from core.errors import ConfigError
from scheduler.channels import DeliveryError, Note, Recipient
from scheduler.channels.email import EmailChannel, send_email
from tests.delivery_support import Sink, free_port

PASSWORD = "s3cret-smtp-pass"


def _certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and localhost (cert, key)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(IPv4Address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


class Logins:
    """An aiosmtpd authenticator that accepts one user and remembers every attempt."""

    def __init__(self) -> None:
        self.attempts: list[tuple[str, str]] = []

    def __call__(
        self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> AuthResult:
        assert isinstance(auth_data, LoginPassword)
        login, password = auth_data.login.decode(), auth_data.password.decode()
        self.attempts.append((login, password))
        # handled=False: aiosmtpd then answers a refusal with 535 itself.
        return AuthResult(success=login == "kalender" and password == PASSWORD, handled=False)


@pytest.fixture
def tls_files(tmp_path: Path) -> tuple[Path, ssl.SSLContext]:
    cert, key = _certificate(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return cert, context


def _server(**kwargs: Any) -> Iterator[tuple[Sink, int, Logins]]:
    sink, logins, port = Sink(), Logins(), free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port, authenticator=logins, **kwargs)
    controller.start()
    try:
        yield sink, port, logins
    finally:
        controller.stop()


@pytest.fixture
def starttls_server(tls_files: tuple[Path, ssl.SSLContext]) -> Iterator[tuple[Sink, int, Logins]]:
    _, context = tls_files
    yield from _server(
        tls_context=context, require_starttls=True, auth_require_tls=True, auth_required=True
    )


@pytest.fixture
def tls_server(tls_files: tuple[Path, ssl.SSLContext]) -> Iterator[tuple[Sink, int, Logins]]:
    _, context = tls_files
    yield from _server(ssl_context=context, auth_require_tls=False)


def _config(folder: Path, port: int, security: str, username: str = "kalender") -> Config:
    path = folder / "social.toml"
    path.write_text(
        f'[email]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "{security}"\n'
        f'username = "{username}"\nsender = "kalender@example.no"\n\n'
        "[sync]\ntimeout_seconds = 5\n",
        encoding="utf-8",
    )
    return load_config(path)


def _message() -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = "Ukerapport uke 48"
    message["From"] = "kalender@example.no"
    message["To"] = "leder@example.no"
    message.set_content("Hei!")
    return message


def test_starttls_with_login_delivers_when_the_certificate_is_trusted(
    tmp_path: Path,
    tls_files: tuple[Path, ssl.SSLContext],
    starttls_server: tuple[Sink, int, Logins],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cert, _ = tls_files
    sink, port, logins = starttls_server
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    monkeypatch.setenv("SOCIAL_SMTP_PASSWORD", PASSWORD)
    send_email(_config(tmp_path, port, "starttls"), message=_message())
    assert logins.attempts == [("kalender", PASSWORD)]
    (message,) = sink.messages()
    assert message["Subject"] == "Ukerapport uke 48" and message.get_content().strip() == "Hei!"


def test_implicit_tls_delivers_a_reminder_through_the_email_channel(
    tmp_path: Path,
    tls_files: tuple[Path, ssl.SSLContext],
    tls_server: tuple[Sink, int, Logins],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cert, _ = tls_files
    sink, port, logins = tls_server
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    monkeypatch.setenv("SOCIAL_SMTP_PASSWORD", PASSWORD)
    channel = EmailChannel(_config(tmp_path, port, "tls"))
    channel.send(Note(Recipient("Ingrid", email="ingrid@example.no"), "Påminnelse", "Tekst æøå"))
    assert logins.attempts == [("kalender", PASSWORD)]
    (message,) = sink.messages()
    assert message["To"] == "ingrid@example.no" and message["Subject"] == "Påminnelse"
    assert message.get_content().strip() == "Tekst æøå"


def test_an_untrusted_certificate_is_refused_with_one_clear_line(
    tmp_path: Path, starttls_server: tuple[Sink, int, Logins], monkeypatch: pytest.MonkeyPatch
) -> None:
    sink, port, logins = starttls_server
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "no-such-bundle.pem"))
    monkeypatch.setenv("SOCIAL_SMTP_PASSWORD", PASSWORD)
    with pytest.raises(DeliveryError) as error:
        send_email(_config(tmp_path, port, "starttls"), message=_message())
    assert "127.0.0.1" in str(error.value) and "CERTIFICATE_VERIFY_FAILED" in str(error.value)
    assert logins.attempts == [] and sink.messages() == []  # no password sent in the clear


def test_a_wrong_password_is_reported_without_showing_it(
    tmp_path: Path,
    tls_files: tuple[Path, ssl.SSLContext],
    starttls_server: tuple[Sink, int, Logins],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cert, _ = tls_files
    _, port, _ = starttls_server
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    monkeypatch.setenv("SOCIAL_SMTP_PASSWORD", "wrong-pass-123")
    with pytest.raises(DeliveryError) as error:
        send_email(_config(tmp_path, port, "starttls"), message=_message())
    text = str(error.value)
    assert "SMTPAuthenticationError" in text and "SOCIAL_SMTP_PASSWORD" in text
    assert "wrong-pass-123" not in text and PASSWORD not in text


def test_without_a_password_there_is_no_login_and_a_refusal_names_the_variable(
    tmp_path: Path,
    tls_files: tuple[Path, ssl.SSLContext],
    starttls_server: tuple[Sink, int, Logins],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cert, _ = tls_files
    sink, port, logins = starttls_server
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    monkeypatch.delenv("SOCIAL_SMTP_PASSWORD", raising=False)
    with pytest.raises(DeliveryError, match="SOCIAL_SMTP_PASSWORD"):
        send_email(_config(tmp_path, port, "starttls"), message=_message())
    assert logins.attempts == [] and sink.messages() == []


def test_email_off_and_a_person_without_an_address_are_clear_errors(tmp_path: Path) -> None:
    path = tmp_path / "social.toml"
    path.write_text("", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[email\] host"):
        send_email(load_config(path), message=_message())
    channel = EmailChannel(_config(tmp_path, free_port(), "none"))
    with pytest.raises(DeliveryError, match="Sander has no e-mail address"):
        channel.send(Note(Recipient("Sander", slack_member="U1"), "s", "t"))


def test_the_reports_mail_module_delivers_through_this_channel(
    tmp_path: Path, smtp: tuple[Sink, int]
) -> None:
    from social.reports.mail import deliver

    sink, port = smtp
    deliver(_config(tmp_path, port, "none", username=""), _message())
    assert [m["To"] for m in sink.messages()] == ["leder@example.no"]
