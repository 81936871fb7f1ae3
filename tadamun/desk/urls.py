from django.contrib.auth import views as auth_views
from django.urls import path

from .views import account, dashboard

app_name = "desk"
urlpatterns = [
    path("", dashboard.home, name="home"),
    path("sign-in/", account.sign_in, name="login"),
    path("sign-in/second-factor/", account.verify, name="verify"),
    path("account/second-factor/", account.two_factor, name="two_factor"),
    path("sign-out/", auth_views.LogoutView.as_view(next_page="desk:login"), name="logout"),
]
