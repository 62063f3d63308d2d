"""Field capture on the phone: the offline app shell, its service worker and manifest."""
