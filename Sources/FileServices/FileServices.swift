import ImportCore
