"""Photos and signatures: content-addressed evidence files under MEDIA_ROOT, with thumbnails."""
