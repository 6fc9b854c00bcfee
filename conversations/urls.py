from django.urls import path

from conversations import views

app_name = "conversations"

urlpatterns = [
    path("inbox/", views.inbox_view, name="inbox"),
    path("today/", views.today, name="today"),
    path("conversations/<int:pk>/", views.conversation_detail, name="detail"),
    path("conversations/<int:pk>/thread/", views.conversation_thread, name="thread"),
    path("conversations/<int:pk>/reply/", views.reply, name="reply"),
    path("conversations/<int:pk>/outcome/", views.set_outcome, name="outcome"),
    path("conversations/<int:pk>/escalation/", views.toggle_escalation, name="escalation"),
    path("conversations/<int:pk>/assign/", views.assign, name="assign"),
    path("conversations/<int:pk>/book/", views.book_slot, name="book"),
    path("messages/<int:pk>/approve/", views.approve_draft, name="approve"),
    path("messages/<int:pk>/reject/", views.reject_draft, name="reject"),
]
