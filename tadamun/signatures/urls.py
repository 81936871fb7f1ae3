from django.urls import path

from .views import signon

app_name = "signatures"
urlpatterns = [
    path("statements/<slug:slug>/sign/", signon.signon, name="signon"),
    path("statements/<slug:slug>/sign/sent/", signon.signon_sent, name="signon_sent"),
    path("statements/<slug:slug>/sign/resend/", signon.resend, name="resend"),
    path("confirm/<str:token>/", signon.confirm, name="confirm"),
    path("withdraw/<str:token>/", signon.withdraw, name="withdraw"),
]
