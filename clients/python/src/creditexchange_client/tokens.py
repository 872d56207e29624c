"""Certificate-bound access tokens (OAuth2 client credentials, RFC 8705 tls_client_auth)."""

import http.client
import json
import ssl
import threading
import time
import urllib.parse
from typing import Optional, Sequence


class TokenRequestError(Exception):
    """The token endpoint refused; ``error`` is the OAuth2 error code (invalid_client, invalid_scope…)."""

    def __init__(self, error: str, description: Optional[str]):
        super().__init__(f"The hub refused a token: {error}" + (f": {description}" if description else ""))
        self.error = error
        self.description = description


class TokenSource:
    """One token shared by every call, renewed once 80% of its lifetime has passed; thread-safe."""

    def __init__(self, base_url: str, agency_id: str, cert_file: str, key_file: str, ca_file: str, scopes: Sequence[str] = ()):
        url = urllib.parse.urlsplit(base_url)
        self._host, self._port = url.hostname, url.port or 443
        self._agency_id = agency_id
        self._scopes = " ".join(scopes)
        # The hub's CA alone is trusted; the OS store is not loaded.
        self._context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        self._context.load_verify_locations(cafile=ca_file)
        self._context.load_cert_chain(cert_file, key_file)
        self._lock = threading.Lock()
        self._token: Optional[str] = None
        self._renew_at = 0.0
        #: How many tokens were issued to this source.
        self.tokens_issued = 0

    def get_token(self) -> str:
        with self._lock:
            if self._token is None or time.monotonic() >= self._renew_at:
                self._token, lifetime, requested_at = self._request()
                self._renew_at = requested_at + 0.8 * lifetime
                self.tokens_issued += 1
            return self._token

    def invalidate(self) -> None:
        """Forgets the current token (after TOKEN_INVALID); the next call fetches a new one."""
        with self._lock:
            self._token = None

    def _request(self):
        form = {"grant_type": "client_credentials", "client_id": self._agency_id}
        if self._scopes:
            form["scope"] = self._scopes
        requested_at = time.monotonic()
        connection = http.client.HTTPSConnection(self._host, self._port, context=self._context, timeout=30)
        try:
            connection.request("POST", "/connect/token", urllib.parse.urlencode(form), {"content-type": "application/x-www-form-urlencoded"})
            response = connection.getresponse()
            body = json.loads(response.read().decode("utf-8") or "{}")
        finally:
            connection.close()
        if response.status != 200 or not body.get("access_token"):
            raise TokenRequestError(body.get("error", f"http_{response.status}"), body.get("error_description"))
        return body["access_token"], float(body.get("expires_in", 300)), requested_at
