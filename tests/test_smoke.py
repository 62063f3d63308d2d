def test_login_page_renders(client):
    response = client.get("/entrar")
    assert response.status_code == 200
    assert "Entrar" in response.get_data(as_text=True)
