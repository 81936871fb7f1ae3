from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy
from django.views.generic import TemplateView

from .views import account, dashboard, moderation, statements, team, work

app_name = "desk"
urlpatterns = [
    path("", dashboard.home, name="home"),
    path("sign-in/", account.sign_in, name="login"),
    path("sign-in/second-factor/", account.verify, name="verify"),
    path("account/second-factor/", account.two_factor, name="two_factor"),
    path("sign-out/", auth_views.LogoutView.as_view(next_page="desk:login"), name="logout"),
    # The statement side: coalitions, texts, versions, demands, strike days, updates.
    path("coalitions/new/", statements.coalition_new, name="coalition_new"),
    path(
        "coalitions/<int:coalition>/statements/new/",
        statements.statement_new,
        name="statement_new",
    ),
    path("statements/<int:pk>/", statements.statement_page, name="statement"),
    path("statements/<int:pk>/edit/", statements.statement_edit, name="statement_edit"),
    path("statements/<int:pk>/preview/", statements.statement_preview, name="statement_preview"),
    path("statements/<int:pk>/publish/", statements.statement_publish, name="statement_publish"),
    path("statements/<int:pk>/status/", statements.statement_status, name="statement_status"),
    path("statements/<int:pk>/strike-days/new/", statements.strike_day, name="strike_day_new"),
    path("statements/<int:pk>/strike-days/<int:day>/", statements.strike_day, name="strike_day"),
    path(
        "statements/<int:pk>/strike-days/<int:day>/remove/",
        statements.strike_day_remove,
        name="strike_day_remove",
    ),
    path(
        "statements/<int:pk>/demands/<int:demand>/update/",
        statements.demand_update,
        name="demand_update",
    ),
    path("statements/<int:pk>/news/new/", statements.news_new, name="news_new"),
    # Moderation, the team, and long work (imports, the strike-day notice).
    path("statements/<int:pk>/moderation/", moderation.moderation, name="moderation"),
    path(
        "statements/<int:pk>/moderation/<int:signon_pk>/approve/",
        moderation.approve,
        name="approve",
    ),
    path(
        "statements/<int:pk>/moderation/<int:signon_pk>/reject/",
        moderation.reject,
        name="reject",
    ),
    path("statements/<int:pk>/import/", work.import_list, name="import"),
    path("imports/<int:pk>/", work.import_job, name="import_job"),
    path("imports/<int:pk>/confirm/", work.import_confirm, name="import_confirm"),
    path("statements/<int:pk>/notices/", work.notices, name="notices"),
    path("notices/<int:pk>/", work.notice, name="notice"),
    path("coalitions/<int:pk>/team/", team.team, name="team"),
    path("coalitions/<int:pk>/team/<int:member_pk>/", team.member, name="member"),
    # A colleague given a role without an account chooses a password here, from the e-mail.
    path(
        "set-password/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="desk/set_password.html",
            success_url=reverse_lazy("desk:password_set"),
        ),
        name="set_password",
    ),
    path(
        "password-set/",
        TemplateView.as_view(template_name="desk/password_set.html"),
        name="password_set",
    ),
]
