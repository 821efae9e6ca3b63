print("contact-import")
