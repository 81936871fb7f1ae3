from django.urls import path

from . import views

app_name = "signatures"
urlpatterns = [
    path("statements/<slug:slug>/sign/", views.signon, name="signon"),
    path("statements/<slug:slug>/sign/sent/", views.signon_sent, name="signon_sent"),
    path("statements/<slug:slug>/sign/resend/", views.resend, name="resend"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("withdraw/<str:token>/", views.withdraw, name="withdraw"),
]
