"""The server started by conftest.py answers as Odoo 18 with our addons installed."""


def test_xmlrpc_version(odoo_server):
    version = odoo_server.xmlrpc("common").version()
    assert version["server_version"].startswith("18.0")


def test_addons_installed(odoo_server, rpc):
    modules = rpc(
        "ir.module.module",
        "search_read",
        [[("name", "in", odoo_server.modules)]],
        fields=["name", "state"],
    )
    assert {m["name"]: m["state"] for m in modules} == dict.fromkeys(
        odoo_server.modules, "installed"
    )


def test_admin_can_read_over_xmlrpc(rpc):
    [admin] = rpc("res.users", "read", [[rpc.uid]], fields=["login"])
    assert admin["login"] == "admin"


def test_login_page(http):
    response = http.get(f"{http.base_url}/web/login", timeout=60)
    assert response.status_code == 200
    assert 'name="login"' in response.text


def test_jsonrpc_version_info(http):
    response = http.post(
        f"{http.base_url}/web/webclient/version_info",
        json={"jsonrpc": "2.0", "method": "call", "params": {}, "id": 1},
        timeout=60,
    )
    assert response.status_code == 200
    assert response.json()["result"]["server_version_info"][0] == 18
