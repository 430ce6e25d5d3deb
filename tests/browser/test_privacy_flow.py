"""A colleague downloads their data; an administrator erases a former colleague."""

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import make_user


def an_administrator_and_a_former_colleague() -> int:
    make_user("ada", display_name="Ada Admin", is_admin=True)
    return make_user("fritz", display_name="Fritz Fortgang", active=False).id


def test_download_own_data_then_erase_a_former_colleague(page, live_server):
    former_id = live_server.run(an_administrator_and_a_former_colleague)
    sign_in(page, "ada")

    page.goto("/settings/")
    page.get_by_role("link", name="Download your data").click()
    expect(page.get_by_role("heading", name="Your data")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download my data").click()
    assert download.value.suggested_filename.startswith("kollegium-ada-")

    page.goto("/admin/users")
    page.get_by_role("button", name="Actions for Fritz Fortgang").click()
    page.get_by_role("link", name="Erase personal data of Fritz Fortgang…").click()
    expect(page.get_by_text("This cannot be undone.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Erase the personal data now").click()
    expect(page.get_by_text(f"The account is now former-{former_id}.")).to_be_visible()
    expect(
        page.get_by_role("cell", name=f"Former colleague #{former_id}", exact=True)
    ).to_be_visible()
