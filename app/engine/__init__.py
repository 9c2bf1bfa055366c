"""What understands item definitions: schema, field types, CEL expressions, lint."""
