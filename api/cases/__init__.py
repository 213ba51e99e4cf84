"""Legal-aid cases: the store (models, crud), status rules, staff tokens and province names."""
