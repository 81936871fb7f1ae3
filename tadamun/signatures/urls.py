from django.urls import path

from .views import pledge, signon

app_name = "signatures"
urlpatterns = [
    path("statements/<slug:slug>/sign/", signon.signon, name="signon"),
    path("statements/<slug:slug>/sign/sent/", signon.signon_sent, name="signon_sent"),
    path("statements/<slug:slug>/sign/resend/", signon.resend, name="resend"),
    path("confirm/<str:token>/", signon.confirm, name="confirm"),
    path("withdraw/<str:token>/", signon.withdraw, name="withdraw"),
    path("reconfirm/<str:token>/", signon.reconfirm, name="reconfirm"),
    path("listing/<str:token>/", signon.details, name="details"),
    path("statements/<slug:slug>/join/", pledge.join, name="join"),
    path("statements/<slug:slug>/join/sent/", pledge.join_sent, name="join_sent"),
    path("pledge/confirm/<str:token>/", pledge.confirm, name="pledge_confirm"),
    path("pledge/work/<str:token>/", pledge.confirm_work, name="pledge_work"),
    path("pledge/withdraw/<str:token>/", pledge.withdraw, name="pledge_withdraw"),
    path("pledge/unsubscribe/<str:token>/", pledge.unsubscribe, name="pledge_unsubscribe"),
]
