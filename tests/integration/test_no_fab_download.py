"""FAB's ModelView file download route exists on no view: it served any file of UPLOAD_FOLDER
(the materials store) to whoever held can_download, and answered 500s for missing names."""
from tests.support import login, make_user

#: banshi's own download handlers, keyed by attachment id and scoped.
OURS = {"ApplicationApi.download", "MyApplicationsView.download", "ReviewFilesView.download"}


def test_no_view_has_a_fab_download_route(app):
    rules = [rule for rule in app.url_map.iter_rules()
             if "/download/" in rule.rule or (rule.endpoint.endswith(".download")
                                              and rule.endpoint not in OURS)]
    assert rules == []


def test_admin_gets_404_on_the_former_download_urls(app, ctx):
    web = app.test_client()
    assert login(web, make_user("Admin").username).status_code == 302
    for url in ("/users/download/x_sep_y", "/roles/download/x", "/permissions/download/x",
                "/regionmodelview/download/x_sep_y", "/calendar/download/x_sep_y",
                "/auditlog/download/x_sep_y"):
        assert web.get(url).status_code == 404, url
