from django.urls import path

from . import embeds, feeds, views

app_name = "statements"
urlpatterns = [
    path("", views.home, name="home"),
    path("statements/<slug:slug>/", views.detail, name="detail"),
    path("statements/<slug:slug>/timeline/", views.timeline, name="timeline"),
    path("statements/<slug:slug>/versions/", views.versions, name="versions"),
    path("statements/<slug:slug>/versions/<int:number>/", views.version, name="version"),
    path("statements/<slug:slug>/diff/<int:old>/<int:new>/", views.diff, name="diff"),
    path("statements/<slug:slug>/press/", views.press_kit, name="press_kit"),
    path("statements/<slug:slug>/press.pdf", views.press_kit_pdf, name="press_kit_pdf"),
    path("statements/<slug:slug>/badge.svg", embeds.badge, name="badge"),
    path("statements/<slug:slug>/card/", embeds.card, name="card"),
    path("statements/<slug:slug>/feeds/updates.atom", feeds.UpdatesFeed(), name="updates_feed"),
    path("statements/<slug:slug>/feeds/demands.atom", feeds.DemandsFeed(), name="demands_feed"),
]
