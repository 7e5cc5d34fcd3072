"""`values_for_base_url`: the connection values a host sets to point a connector at another server
(a sandbox, a replay server) when all it has are the connection's fields."""

from __future__ import annotations

import pytest

from connector_core.conformance import load_connector
from connector_core.runtime.connection import ConnectionSettings, ConnectionSettingsError, values_for_base_url


@pytest.mark.parametrize(("name", "url", "read"), [
    ("acme", "http://127.0.0.1:9000/v2/", {"base_url": "http://127.0.0.1:9000/v2"}),
    ("slugco", "http://127.0.0.1:9000/replay/case-1/acme", {"base_url": "http://127.0.0.1:9000/replay/case-1",
                                                           "account": "acme"}),
    ("basicco", "https://h.test/acct", {"base_url": "https://h.test", "account": "acct"}),
])
def test_the_template_renders_the_url_from_the_values_read(name, url, read):
    connector = load_connector(name)
    given = {field.key: "x" for field in connector.connection.fields if field.required}
    values = values_for_base_url(connector, url, given)
    assert values == {**given, **read}
    assert ConnectionSettings(connector, values, env={}).base_url == url.rstrip("/")


@pytest.mark.parametrize("url", ["http://127.0.0.1:9000", "http://127.0.0.1:9000/a?x=1", "/relative/acme", ""])
def test_a_url_the_template_cannot_make_is_refused(url):
    with pytest.raises(ConnectionSettingsError, match="does not fit the connection's template"):
        values_for_base_url(load_connector("slugco"), url, {"api_token": "t"})
