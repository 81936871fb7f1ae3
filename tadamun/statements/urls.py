from django.urls import path

from . import feeds, views

app_name = "statements"
urlpatterns = [
    path("", views.home, name="home"),
    path("statements/<slug:slug>/", views.detail, name="detail"),
    path("statements/<slug:slug>/timeline/", views.timeline, name="timeline"),
    path("statements/<slug:slug>/versions/", views.versions, name="versions"),
    path("statements/<slug:slug>/versions/<int:number>/", views.version, name="version"),
    path("statements/<slug:slug>/diff/<int:old>/<int:new>/", views.diff, name="diff"),
    path("statements/<slug:slug>/feeds/updates.atom", feeds.UpdatesFeed(), name="updates_feed"),
    path("statements/<slug:slug>/feeds/demands.atom", feeds.DemandsFeed(), name="demands_feed"),
]
