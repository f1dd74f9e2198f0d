def sections(period):
    return []
