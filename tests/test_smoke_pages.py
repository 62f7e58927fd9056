"""Every public page renders in both languages with the security headers."""
import pytest


@pytest.mark.parametrize("path", ["/", "/account/login", "/account/signup", "/account/forgot", "/account/check-email"])
@pytest.mark.parametrize("lang,word", [("en", "Log in"), ("fr", "Se connecter")])
def test_public_pages_render_in_both_languages(client, path, lang, word):
    response = client.get(path, headers={"Accept-Language": lang})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'<html lang="{lang}">' in html
    assert word in html
