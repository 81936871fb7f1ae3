from django.contrib.auth import views as auth_views
from django.urls import path

from .views import dashboard

app_name = "desk"
sign_in = auth_views.LoginView.as_view(
    template_name="desk/login.html", redirect_authenticated_user=True
)
urlpatterns = [
    path("", dashboard.home, name="home"),
    path(
        "sign-in/",
        auth_views.LoginView.as_view(
            template_name="desk/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(next_page="desk:login"), name="logout"),
]
