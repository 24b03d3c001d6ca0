from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from sablier.api.app import api
from sablier.web.views import (
    case,
    connectors,
    dashboard,
    inbox,
    notifications,
    person,
    pipeline_page,
    settings_page,
    simulator,
    stream,
)

urlpatterns = [
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("login/", auth_views.LoginView.as_view(template_name="sablier/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", inbox.inbox, name="inbox"),
    path("inbox/columns", inbox.inbox_columns, name="inbox-columns"),
    path("departments/<slug:slug>/", inbox.department_queue, name="department"),
    path("departments/<slug:slug>/columns", inbox.department_queue, name="department-columns"),
    path("cases/<int:case_id>/", case.case_page, name="case"),
    path("cases/<int:case_id>/presence", case.case_presence, name="case-presence"),
    path("cases/<int:case_id>/<str:action>", case.case_action, name="case-action"),
    path("settings/", settings_page.settings_page, name="settings"),
    path("dashboard/", dashboard.dashboard_page, name="dashboard"),
    path("dashboard/<slug:slug>/", dashboard.dashboard_page, name="dashboard-department"),
    path("simulator/", simulator.simulator_page, name="simulator"),
    path("connectors/", connectors.connectors_page, name="connectors"),
    path("pipeline/", pipeline_page.pipeline_page, name="pipeline"),
    path(
        "pipeline/dead-letters/<int:failure_id>/retry", pipeline_page.retry_dead_letter, name="pipeline-retry"
    ),
    path("notifications/", notifications.notifications_page, name="notifications"),
    path("notifications/unread", notifications.unread_badge, name="notifications-unread"),
    path("people/<int:person_id>/", person.person_page, name="person"),
    path("people/<int:person_id>/merge", person.merge_person, name="person-merge"),
    path("events/", stream.event_stream, name="events"),
]
