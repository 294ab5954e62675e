from django.contrib.auth import views as auth_views
from django.urls import path

app_name = "accounts"

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # The profile page is built by the researcher-accounts work; until then it is the login.
    path("profile/", auth_views.LoginView.as_view(), name="profile"),
]
